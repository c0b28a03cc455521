package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One lock per tunnel port, so that setups and removals of the same port take turns: an exclusive lock on
 * {@code PORT.lock} in a directory only this process's user (root) may enter, which records the holder's PID
 * for the message the next one gets. The kernel lets go of it when the holder ends, however it ends. A
 * second taker waits a few seconds, then fails with "port 2222 is being set up by PID 1234".
 *
 * <p>Within one process the lock is taken here first: a second channel on the same file would, when closed,
 * drop the lock the first one holds (POSIX locks belong to the process). One instance serves a process.
 */
public final class PortLocks {
    /** How long a second setup or remove of a port waits for the first to finish. */
    public static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Pattern HOLDER = Pattern.compile("(\\d{1,10}) (setup|remove)\n");

    /** What the holder of a port's lock is doing to its tunnel. */
    public enum Purpose {
        SETUP("setup", "set up"), REMOVE("remove", "removed");

        private final String word;
        private final String doing;

        Purpose(String word, String doing) {
            this.word = word;
            this.doing = doing;
        }

        static Optional<Purpose> of(String word) {
            for (Purpose purpose : values()) {
                if (purpose.word.equals(word)) {
                    return Optional.of(purpose);
                }
            }
            return Optional.empty();
        }
    }

    private final Path directory;
    private final Duration patience;
    private final Map<Integer, Purpose> heldHere = new HashMap<>(); // guarded by this

    public PortLocks(Path directory, Duration patience) {
        this.directory = directory;
        this.patience = patience;
    }

    /**
     * Takes the lock of {@code port}, waiting at most the patience given; throws, naming the holder, when it
     * is still held then.
     */
    public PortLock acquire(int port, Purpose purpose) {
        long deadline = System.nanoTime() + patience.toNanos();
        waitHere(port, purpose, deadline);
        try {
            return acquireFile(port, purpose, deadline);
        } catch (RuntimeException e) {
            forget(port);
            throw e;
        }
    }

    private synchronized void waitHere(int port, Purpose purpose, long deadline) {
        while (heldHere.containsKey(port)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw busy(port, Optional.of(new Holder(ProcessHandle.current().pid(), heldHere.get(port))));
            }
            try {
                wait(Math.max(1, Duration.ofNanos(left).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TunnelException("interrupted while waiting for the lock of port " + port, e);
            }
        }
        heldHere.put(port, purpose);
    }

    private PortLock acquireFile(int port, Purpose purpose, long deadline) {
        Path file = directory.resolve(port + ".lock");
        FileChannel channel = null;
        try {
            prepareDirectory();
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PrivateFile.MODE));
            while (true) {
                FileLock lock = tryLock(channel, port);
                if (lock != null) {
                    record(channel, purpose);
                    return new PortLock(this, port, channel, lock);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw busy(port, holder(channel));
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException e) {
            closeQuietly(channel);
            String why = e instanceof AccessDeniedException denied ? denied.getFile() + ": permission denied"
                    : e.getMessage();
            throw new TunnelException("cannot lock port " + port + " in " + directory + ": " + why, e);
        } catch (InterruptedException e) {
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            throw new TunnelException("interrupted while waiting for the lock of port " + port, e);
        } catch (HeldElsewhereInThisProcess e) {
            throw e; // the channel stays open: see tryLock
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * The file lock, or null while another process holds it. Another instance of this class in this process
     * holding it is a mistake in the program; the channel then stays open, since closing it would drop that
     * instance's lock.
     */
    private static FileLock tryLock(FileChannel channel, int port) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            throw new HeldElsewhereInThisProcess(port, sameProcess);
        }
    }

    private static final class HeldElsewhereInThisProcess extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        HeldElsewhereInThisProcess(int port, OverlappingFileLockException cause) {
            super("the lock of port " + port + " is held by another PortLocks in this process: use one per process",
                    cause);
        }
    }

    /**
     * The lock directory, made root-only: created with mode 700, or, when it exists, a real directory (not a
     * link) that this process's user owns, its mode set to 700 again.
     */
    private void prepareDirectory() throws IOException {
        Files.createDirectories(directory.getParent());
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PrivateFile.DIRECTORY_MODE));
            } catch (FileAlreadyExistsException raced) {
                // another setup made it a moment ago: checked below like any existing one
            }
        }
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes attributes = view.readAttributes();
        if (!attributes.isDirectory()) {
            throw new IOException(directory + " is not a directory");
        }
        String owner = attributes.owner().getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IOException(directory + " belongs to " + owner + ", not to " + System.getProperty("user.name"));
        }
        if (!attributes.permissions().equals(PrivateFile.DIRECTORY_MODE)) {
            view.setPermissions(PrivateFile.DIRECTORY_MODE);
        }
    }

    /** Writes "PID PURPOSE" into the lock file just taken. */
    private static void record(FileChannel channel, Purpose purpose) throws IOException {
        channel.truncate(0);
        ByteBuffer line = StandardCharsets.US_ASCII.encode(ProcessHandle.current().pid() + " " + purpose.word + "\n");
        int position = 0;
        while (line.hasRemaining()) {
            position += channel.write(line, position);
        }
    }

    /** Who holds the lock, as its file says; empty while the holder has not written it yet, or if unreadable. */
    private static Optional<Holder> holder(FileChannel channel) {
        try {
            ByteBuffer content = ByteBuffer.allocate(64);
            channel.read(content, 0);
            content.flip();
            Matcher line = HOLDER.matcher(StandardCharsets.US_ASCII.decode(content));
            return line.matches() ? Purpose.of(line.group(2)).map(p -> new Holder(Long.parseLong(line.group(1)), p))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static TunnelException busy(int port, Optional<Holder> holder) {
        return new TunnelException("port " + port + " is being " + holder.map(h -> h.purpose().doing + " by PID " + h.pid())
                .orElse("set up or removed by another process") + "; try again once it has finished");
    }

    /** Called by {@link PortLock#close}, after the file lock is released and its channel closed. */
    synchronized void forget(int port) {
        heldHere.remove(port);
        notifyAll();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was taken
            }
        }
    }

    private record Holder(long pid, Purpose purpose) {}
}
