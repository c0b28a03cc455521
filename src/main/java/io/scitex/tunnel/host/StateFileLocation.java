package io.scitex.tunnel.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a running native tunnel keeps its live state ({@code PORT.json}), the first that applies:
 * <ol>
 *   <li>{@code $RUNTIME_DIRECTORY}, which systemd creates for the unit ({@code RuntimeDirectory=});</li>
 *   <li>{@code /run/scitex-tunnel}, when this process may write there (root);</li>
 *   <li>{@code $XDG_RUNTIME_DIR/scitex-tunnel}, the user's own runtime directory;</li>
 *   <li>{@code scitex-tunnel-USER} in {@code java.io.tmpdir}.</li>
 * </ol>
 */
public final class StateFileLocation {
    public static final Path SYSTEM_DIRECTORY = Path.of("/run/scitex-tunnel");

    private StateFileLocation() {}

    public static Path resolve(int port, Map<String, String> environment) {
        return directory(environment).resolve(port + ".json");
    }

    static Path directory(Map<String, String> environment) {
        String runtime = firstPath(environment.get("RUNTIME_DIRECTORY"));
        if (runtime != null) {
            return Path.of(runtime);
        }
        if (Files.isWritable(SYSTEM_DIRECTORY) || Files.isWritable(SYSTEM_DIRECTORY.getParent())) {
            return SYSTEM_DIRECTORY;
        }
        String xdg = environment.get("XDG_RUNTIME_DIR");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "scitex-tunnel");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "scitex-tunnel-" + System.getProperty("user.name"));
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
