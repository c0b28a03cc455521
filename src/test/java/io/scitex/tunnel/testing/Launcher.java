package io.scitex.tunnel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code bin/scitex-tunnel} of the checkout under test as a user would, in an environment like a
 * service's, never letting it build (the build under test made the jar).
 */
public final class Launcher {
    private Launcher() {}

    public static Path path() {
        Path launcher = SystemdContainer.projectDirectory().resolve("bin/scitex-tunnel");
        Path jar = SystemdContainer.projectDirectory().resolve("target/scitex-tunnel.jar");
        Prerequisites.require(Files.isRegularFile(jar), jar + " (run `mvn package` first)");
        return launcher;
    }

    /** A minimal environment, plus {@code extra}. */
    public static Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("USER", System.getProperty("user.name"));
        environment.put("LANG", "C.UTF-8");
        environment.put("SCITEX_TUNNEL_NO_BUILD", "1");
        environment.putAll(extra);
        return environment;
    }

    public static OwnedProcess start(String name, Path outputDir, Map<String, String> extraEnvironment,
                                     String... arguments) throws IOException {
        List<String> argv = new ArrayList<>(List.of(path().toString()));
        argv.addAll(List.of(arguments));
        return OwnedProcess.start(name, argv, environment(extraEnvironment), outputDir);
    }
}
