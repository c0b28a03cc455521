package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argv a service runs for one tunnel on the native engine: the installed launcher's {@code run}, with
 * every setting spelled out, so that the unit alone says what the tunnel does (and {@code status} can read it
 * back with {@link TunnelEndpoints}).
 */
public final class NativeCommand {
    /** Names the java the launcher runs, resolved at setup: a service's PATH may not lead to it. */
    public static final String JAVA_VARIABLE = "SCITEX_TUNNEL_JAVA";
    /** Tells the launcher never to build: a service must not run Maven, and its file system is read-only. */
    public static final String NO_BUILD_VARIABLE = "SCITEX_TUNNEL_NO_BUILD";
    public static final String COMMAND = "run";

    private NativeCommand() {}

    public static List<String> argv(Path launcher, TunnelSpec spec, Path knownHosts) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), COMMAND,
                "-p", Integer.toString(spec.port()),
                "-b", spec.bastion().toString(),
                "-s", spec.key().toString(),
                "--target", spec.target().toString(),
                "--known-hosts", knownHosts.toString(),
                "--keepalive", Integer.toString(spec.keepalive().intervalSeconds()),
                "--keepalive-count", Integer.toString(spec.keepalive().maxMissed())));
        return List.copyOf(argv);
    }

    /** The service's environment: which java to run, and no building. */
    public static List<String> environment(Path java) {
        return List.of(JAVA_VARIABLE + "=" + java, NO_BUILD_VARIABLE + "=1");
    }

    /** Whether {@code argv} runs this tool's native engine ({@code .../scitex-tunnel run ...}). */
    public static boolean isNativeCommand(List<String> argv) {
        return argv.size() >= 2 && (argv.get(0).equals("scitex-tunnel") || argv.get(0).endsWith("/scitex-tunnel"))
                && argv.get(1).equals(COMMAND);
    }
}
