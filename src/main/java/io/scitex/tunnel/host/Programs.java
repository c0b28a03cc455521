package io.scitex.tunnel.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Finds programs the way a shell does: on PATH, plus the system directories a sudo PATH may lack. */
public class Programs {
    private static final String SYSTEM_DIRS = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final String path;

    public Programs(String path) {
        this.path = (path == null || path.isEmpty() ? "" : path + ":") + SYSTEM_DIRS;
    }

    public Programs() {
        this(System.getenv("PATH"));
    }

    /** The absolute, executable path of {@code name}, if there is one. */
    public Optional<Path> find(String name) {
        return Arrays.stream(path.split(":"))
                .filter(dir -> dir.startsWith("/"))
                .map(dir -> Path.of(dir, name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }
}
