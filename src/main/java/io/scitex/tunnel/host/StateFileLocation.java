package io.scitex.tunnel.host;

import io.scitex.tunnel.model.Printable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a running native tunnel keeps its live state ({@code PORT.json}), the first that applies:
 * <ol>
 *   <li>{@code $RUNTIME_DIRECTORY}, which systemd creates for the unit ({@code RuntimeDirectory=});</li>
 *   <li>{@code /run/scitex-tunnel}, when this process may write there (root);</li>
 *   <li>{@code $XDG_RUNTIME_DIR/scitex-tunnel}, the user's own runtime directory;</li>
 *   <li>{@code scitex-tunnel-USER} in {@code java.io.tmpdir}, made private to the user; if another user made
 *       that directory first (anyone may create any name in /tmp), or left it open to others, a fresh private
 *       directory beside it, named in the log.</li>
 * </ol>
 * Without a safe place (a temporary directory where nothing can be made), the tunnel keeps no state file.
 */
public final class StateFileLocation {
    public static final Path SYSTEM_DIRECTORY = Path.of("/run/scitex-tunnel");
    private static final Logger LOG = LoggerFactory.getLogger(StateFileLocation.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private StateFileLocation() {}

    public static Optional<Path> resolve(int port, Map<String, String> environment) {
        return directory(environment).map(directory -> directory.resolve(fileName(port)));
    }

    /** The state file's name in whichever directory holds it. */
    public static String fileName(int port) {
        return port + ".json";
    }

    static Optional<Path> directory(Map<String, String> environment) {
        String runtime = firstPath(environment.get("RUNTIME_DIRECTORY"));
        if (runtime != null) {
            return Optional.of(Path.of(runtime));
        }
        if (Files.isWritable(SYSTEM_DIRECTORY) || Files.isWritable(SYSTEM_DIRECTORY.getParent())) {
            return Optional.of(SYSTEM_DIRECTORY);
        }
        String xdg = environment.get("XDG_RUNTIME_DIR");
        if (xdg != null && xdg.startsWith("/")) {
            return Optional.of(Path.of(xdg, "scitex-tunnel"));
        }
        return temporaryDirectory(Path.of(System.getProperty("java.io.tmpdir")), System.getProperty("user.name"));
    }

    /**
     * {@code scitex-tunnel-USER} in {@code temporary}, created now (mode 700) or found as this user's own
     * directory, not writable by others; else a fresh private directory beside it (whoever owns or may write the
     * directory may replace the state file in it, or move it away); empty if neither can be had.
     */
    static Optional<Path> temporaryDirectory(Path temporary, String user) {
        Path preferred = temporary.resolve("scitex-tunnel-" + user);
        try {
            try {
                return Optional.of(Files.createDirectory(preferred, PosixFilePermissions.asFileAttribute(OWNER_ONLY)));
            } catch (FileAlreadyExistsException exists) {
                PosixFileAttributes found = Files.readAttributes(preferred, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                boolean own = found.isDirectory() && found.owner().getName().equals(user)
                        && found.permissions().stream().noneMatch(WRITABLE_BY_OTHERS::contains);
                if (own) {
                    return Optional.of(preferred);
                }
                Path fresh = Files.createTempDirectory(temporary, "scitex-tunnel-" + user + "-",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                LOG.warn("{} is not {}'s own private directory (it belongs to {}, mode {}): keeping the state in {}"
                        + " instead", preferred, Printable.escape(user), Printable.escape(found.owner().getName()),
                        PosixFilePermissions.toString(found.permissions()), fresh);
                return Optional.of(fresh);
            }
        } catch (IOException e) {
            LOG.warn("cannot make a private directory for the tunnel's state in {} ({}): keeping no state file",
                    temporary, Printable.escape(String.valueOf(e.getMessage())));
            return Optional.empty();
        }
    }

    /** systemd lists several runtime directories separated by ':'; ours is the first. */
    private static String firstPath(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String first = value.split(":", 2)[0];
        return first.startsWith("/") ? first : null;
    }
}
