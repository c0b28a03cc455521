package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/** Who owns a file and who may change it, as the file system says (tests give their own answers). */
public class FileOwners {
    /** {@code path} with every symbolic link resolved; as it is, if it cannot be resolved. */
    public Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException | SecurityException unresolved) {
            return path.toAbsolutePath().normalize();
        }
    }

    /**
     * The owner, group and mode of {@code path} itself (a symbolic link is not followed); empty if it does not
     * exist or cannot be read.
     */
    public Optional<FileOwner> of(Path path) {
        try {
            int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new FileOwner(uid, gid, mode));
        } catch (IOException | UnsupportedOperationException | SecurityException unknown) {
            return Optional.empty();
        }
    }
}
