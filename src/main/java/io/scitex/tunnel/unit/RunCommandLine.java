package io.scitex.tunnel.unit;

import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The native engine's command line, {@code scitex-tunnel run}: the one description of its options, used to
 * write a unit's argv, to read it back, and by the CLI's {@code run} command for its option names. Every
 * setting is spelled out in the unit, so that the unit alone says what the tunnel does.
 */
public final class RunCommandLine {
    /** Names the java the launcher runs, resolved at setup: a service's PATH may not lead to it. */
    public static final String JAVA_VARIABLE = "SCITEX_TUNNEL_JAVA";
    /** Tells the launcher never to build: a service must not run Maven, and its file system is read-only. */
    public static final String NO_BUILD_VARIABLE = "SCITEX_TUNNEL_NO_BUILD";
    public static final String COMMAND = "run";

    public static final String PORT_SHORT = "-p";
    public static final String PORT = "--port";
    public static final String BASTION_SHORT = "-b";
    public static final String BASTION = "--bastion";
    public static final String KEY_SHORT = "-s";
    public static final String KEY = "--key";
    public static final String TARGET = "--target";
    public static final String KNOWN_HOSTS = "--known-hosts";
    public static final String KEEPALIVE = "--keepalive";
    public static final String KEEPALIVE_COUNT = "--keepalive-count";
    public static final String PASSPHRASE_FILE = "--passphrase-file";
    /** Where forwarded connections go when {@link #TARGET} is not given. */
    public static final String DEFAULT_TARGET = "localhost:22";
    /** The options of {@code run} that take no value. */
    private static final Set<String> FLAGS = Set.of("-v", "--verbose", "-h", "--help", "-V", "--version");

    private RunCommandLine() {}

    public static List<String> argv(Path launcher, TunnelSpec spec, Path knownHosts) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), COMMAND,
                PORT_SHORT, Integer.toString(spec.port()),
                BASTION_SHORT, spec.bastion().toString(),
                KEY_SHORT, spec.key().toString(),
                TARGET, spec.target().toString(),
                KNOWN_HOSTS, knownHosts.toString(),
                KEEPALIVE, Integer.toString(spec.keepalive().intervalSeconds()),
                KEEPALIVE_COUNT, Integer.toString(spec.keepalive().maxMissed())));
        return List.copyOf(argv);
    }

    /** The service's environment: which java to run, and no building. */
    public static List<String> environment(Path java) {
        return List.of(JAVA_VARIABLE + "=" + java, NO_BUILD_VARIABLE + "=1");
    }

    /** Whether {@code argv} runs this tool's native engine ({@code .../scitex-tunnel run ...}). */
    public static boolean isRunCommand(List<String> argv) {
        return argv.size() >= 2 && (argv.get(0).equals("scitex-tunnel") || argv.get(0).endsWith("/scitex-tunnel"))
                && argv.get(1).equals(COMMAND);
    }

    /**
     * Reads a {@code run} argv back: the bastion, target (default {@value #DEFAULT_TARGET}), key and
     * known_hosts file, by long or short name, {@code --name=value} too. The paths are given as plain paths,
     * so they are returned with {@code %} doubled, as ssh_config words (see {@link SshConfigWords#expandPath}).
     */
    public static TunnelEndpoints parse(List<String> argv) {
        String bastion = null;
        String target = DEFAULT_TARGET;
        String key = null;
        String knownHosts = null;
        for (int i = 2; i < argv.size(); i++) {
            String arg = argv.get(i);
            String next = i + 1 < argv.size() ? argv.get(i + 1) : null;
            boolean inline = arg.startsWith("--") && arg.contains("=");
            String name = inline ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = inline ? arg.substring(name.length() + 1) : next;
            if (!name.startsWith("-") || FLAGS.contains(name)) {
                continue;
            }
            switch (name) {
                case BASTION_SHORT, BASTION -> bastion = value;
                case TARGET -> target = value;
                case KEY_SHORT, KEY -> key = value;
                case KNOWN_HOSTS -> knownHosts = value;
                default -> { }
            }
            if (!inline && next != null) {
                i++; // every other option of `run` takes a value
            }
        }
        return new TunnelEndpoints(Optional.ofNullable(bastion), Optional.ofNullable(target),
                Optional.ofNullable(key).map(k -> k.replace("%", "%%")),
                knownHosts == null ? List.of() : List.of(knownHosts.replace("%", "%%")));
    }
}
