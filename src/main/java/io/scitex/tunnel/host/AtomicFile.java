package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file all at once: readers see the old content or the new, never a partial file. The content
 * goes to a temporary file in the same directory, is written whole and flushed to disk, gets its mode, and
 * is renamed over the target; the directory is flushed too, so that the rename survives a power cut. When
 * anything fails (a full disk), the old file stays as it was and the temporary file is deleted.
 */
public final class AtomicFile {
    /** rw-r--r--: unit files and known_hosts are public. */
    public static final Set<PosixFilePermission> PUBLIC = Set.copyOf(PosixFilePermissions.fromString("rw-r--r--"));

    private AtomicFile() {}

    /** @throws IOException "cannot write TARGET: No space left on device" and the like, the old file unchanged */
    public static void write(Path target, String content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(channel, StandardCharsets.UTF_8.encode(content));
                channel.force(true);
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            Files.setPosixFilePermissions(temp, mode);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A write may take fewer bytes than it was given (the disk filled up on the way); only the next one says
     * why. Writing until nothing remains turns a short write into that error.
     */
    static void writeFully(FileChannel channel, ByteBuffer content) throws IOException {
        while (content.hasRemaining()) {
            channel.write(content);
        }
    }

    /**
     * The rename is durable once the directory is on disk. The file is already replaced when this runs, so
     * a file system that cannot flush a directory does not turn the write into a failure.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException refused) {
            // the content is in place; only its durability across a crash is less certain
        }
    }
}
