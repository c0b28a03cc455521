package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may touch: private keys, and the files that hold their passphrases. ssh refuses a
 * key that group or others have any access to, so the tool refuses such keys, and passphrase files, too.
 */
public final class PrivateFile {
    /** rw-------: the mode of every key the tool writes. */
    public static final Set<PosixFilePermission> MODE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    /** rwx------: the mode of a directory the tool creates to hold keys. */
    public static final Set<PosixFilePermission> DIRECTORY_MODE =
            Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFile() {}

    /** Whether {@code permissions} give group or others any access at all. */
    public static boolean isOpenToGroupOrOthers(Set<PosixFilePermission> permissions) {
        return permissions.stream().anyMatch(GROUP_OR_OTHERS::contains);
    }

    /**
     * Whether group or others have any access to {@code file} (a symlink's target is what counts).
     *
     * @throws UnsupportedOperationException on a file system without POSIX permissions
     */
    public static boolean isOpenToGroupOrOthers(Path file) throws IOException {
        return isOpenToGroupOrOthers(Files.getPosixFilePermissions(file));
    }
}
