package io.scitex.tunnel.host;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Files a user controls, read by this tool on the user's behalf (as root, under sudo): keys, public keys,
 * passphrase files. Each must be a regular file that belongs to the user and is no larger than the caller
 * expects; a symbolic link counts as the file it leads to, which must pass the same checks. When this process
 * is root and the user is not, the content is read with the user's own rights ({@link AsUser}), so a path
 * swapped between the checks and the read leads to nothing the user could not read anyway.
 */
public final class UserFiles {
    private final AsUser owner;

    public UserFiles(AsUser owner) {
        this.owner = owner;
    }

    /** The files of {@code owner}, read through this machine's own programs when switching to them. */
    public static UserFiles of(ServiceUser owner) {
        return new UserFiles(AsUser.of(new CommandRunner(), owner));
    }

    /**
     * The attributes of the file {@code file} is (itself, or the file its symbolic links lead to), checked:
     * it exists, is a regular file, belongs to the owner and holds at most {@code maxBytes}.
     *
     * @param what what the file is, for messages ("key", "passphrase file")
     */
    public PosixFileAttributes check(Path file, String what, int maxBytes) {
        return check(file, owner.user().name(), what, maxBytes).attributes();
    }

    /** The content of {@code file}, after {@link #check}: read with the owner's rights. */
    public byte[] read(Path file, String what, int maxBytes) {
        Checked checked = check(file, owner.user().name(), what, maxBytes);
        byte[] content = owner.switchesUser() ? readAsOwner(file, checked.real(), what, maxBytes)
                : readHere(file, checked.real(), what, maxBytes);
        if (content.length > maxBytes) {
            throw tooLarge(checked.name(), what, maxBytes);
        }
        return content;
    }

    /**
     * A file that passed the checks.
     *
     * @param real       the file it really is, symbolic links resolved
     * @param attributes that file's attributes
     * @param name       how messages name it
     */
    public record Checked(Path real, PosixFileAttributes attributes, String name) {}

    /**
     * Checks {@code file} as {@link #check(Path, String, int)} does, for a file that must belong to the user
     * named {@code owner}.
     */
    public static Checked check(Path file, String owner, String what, int maxBytes) {
        Path real = realPath(file, what);
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidInputException("cannot read the attributes of " + what + " " + shown(file) + ": "
                    + reasonOf(e));
        }
        boolean linked = !real.equals(file.toAbsolutePath().normalize());
        String name = what + " " + shown(file) + (linked ? " (a link to " + shown(real) + ")" : "");
        if (!attributes.isRegularFile()) {
            throw new InvalidInputException(name + " is not a regular file");
        }
        String fileOwner = attributes.owner().getName();
        if (!fileOwner.equals(owner)) {
            throw new InvalidInputException(name + " belongs to " + Printable.escape(fileOwner) + ", not to " + owner
                    + (linked ? ": give a file of " + owner + "'s own" : ": chown " + owner + " " + shown(file)));
        }
        if (attributes.size() > maxBytes) {
            throw tooLarge(name, what, maxBytes);
        }
        return new Checked(real, attributes, name);
    }

    /**
     * Whether {@code file} is root's own: a regular file of root's, reached without a symbolic link through
     * directories that only root may change. No other user can have put it there or swap it later, so root
     * may read it as its own.
     */
    public static boolean isRootsOwn(Path file) {
        try {
            Path absolute = file.toAbsolutePath().normalize();
            if (!absolute.toRealPath().equals(absolute)) {
                return false;
            }
            PosixFileAttributes attributes = Files.readAttributes(absolute, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || !isRoots(absolute)) {
                return false;
            }
            for (Path directory = absolute.getParent(); directory != null; directory = directory.getParent()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
                if (!isRoots(directory) || mode.contains(PosixFilePermission.GROUP_WRITE)
                        || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean isRoots(Path path) throws IOException {
        return ((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
    }

    private static InvalidInputException tooLarge(String name, String what, int maxBytes) {
        return new InvalidInputException(name + " holds more than the " + maxBytes + " bytes any " + what
                + " needs: is it the right file?");
    }

    private static byte[] readHere(Path file, Path real, String what, int maxBytes) {
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + what + " " + shown(file) + ": " + reasonOf(e));
        }
    }

    /** The user's own head(1) reads the file: text files only, which every file read this way is. */
    private byte[] readAsOwner(Path file, Path real, String what, int maxBytes) {
        CommandResult read;
        try {
            read = owner.run(List.of("head", "-c", Integer.toString(maxBytes + 1), "--", real.toString()));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + what + " " + shown(file) + " as " + owner.user().name()
                    + ": " + reasonOf(e));
        }
        if (!read.succeeded()) {
            throw new InvalidInputException(what + " " + shown(file) + " cannot be read by " + owner.user().name()
                    + ", whom the tunnel runs as: " + Printable.escape(reason(read.firstErrorLine())));
        }
        return read.stdout().getBytes(StandardCharsets.UTF_8);
    }

    private static Path realPath(Path file, String what) {
        try {
            return file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(what + " " + shown(file) + " does not exist"
                    + (Files.isSymbolicLink(file) ? " (it is a symbolic link that leads nowhere)" : ""));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + what + " " + shown(file) + ": " + reasonOf(e));
        }
    }

    /** "head: cannot open 'FILE' for reading: Permission denied" says, in the end, "Permission denied". */
    private static String reason(String error) {
        int last = error.lastIndexOf(": ");
        return last >= 0 ? error.substring(last + 2) : error;
    }

    /** Java names only the file in most of its I/O errors; say what went wrong instead. */
    private static String reasonOf(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException failed && failed.getReason() != null) {
            return Printable.escape(failed.getReason());
        }
        return Printable.escape(String.valueOf(e.getMessage()));
    }

    private static String shown(Path path) {
        return Printable.escape(path.toString());
    }
}
