package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The argv that runs one tunnel: {@code autossh -M 0 -N} around an ssh that never prompts, verifies the
 * bastion strictly against the tunnel's own pinned known_hosts, reads no user configuration, offers only
 * the given key, notices a dead link within the keepalive bound and exits when the forward is refused.
 */
public final class AutosshCommand {
    /** Environment for autossh: never treat a quick exit as fatal; bound its backoff between restarts. */
    public static final List<String> ENVIRONMENT = List.of("AUTOSSH_GATETIME=0", "AUTOSSH_POLL=10");

    private AutosshCommand() {}

    public static List<String> argv(Path autossh, TunnelSpec spec, Path knownHosts) {
        List<String> argv = new ArrayList<>(List.of(autossh.toString(), "-M", "0", "-N", "-F", "none"));
        option(argv, "ServerAliveInterval", Integer.toString(spec.keepalive().intervalSeconds()));
        option(argv, "ServerAliveCountMax", Integer.toString(spec.keepalive().maxMissed()));
        option(argv, "ConnectTimeout", "10");
        option(argv, "ExitOnForwardFailure", "yes");
        option(argv, "BatchMode", "yes");
        option(argv, "StrictHostKeyChecking", "yes");
        option(argv, "UserKnownHostsFile", sshPath(knownHosts));
        option(argv, "GlobalKnownHostsFile", "/dev/null");
        option(argv, "UpdateHostKeys", "no");
        option(argv, "IdentitiesOnly", "yes");
        option(argv, "IdentityAgent", "none");
        identity(argv, spec.key());
        argv.addAll(List.of("-p", Integer.toString(spec.bastion().port())));
        argv.addAll(List.of("-R", remoteForward(spec)));
        spec.bastion().user().ifPresent(user -> argv.addAll(List.of("-l", user)));
        argv.add(spec.bastion().host());
        return List.copyOf(argv);
    }

    /** {@code PORT:TARGETHOST:TARGETPORT}: no bind address, so the bastion listens on its loopback only. */
    public static String remoteForward(TunnelSpec spec) {
        String host = spec.target().host();
        return spec.port() + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + spec.target().port();
    }

    private static void option(List<String> argv, String name, String value) {
        argv.add("-o");
        argv.add(name + "=" + value);
    }

    /**
     * {@code -i KEY}, or for a key whose path holds {@code %}, {@code -o IdentityFile=KEY}: ssh checks that an
     * {@code -i} file exists before it expands {@code %%}, so it would skip the escaped path as missing, and
     * the unescaped one fails expansion; an IdentityFile option is only expanded.
     */
    private static void identity(List<String> argv, Path key) {
        String path = sshPath(key);
        if (key.toString().contains("%")) {
            option(argv, "IdentityFile", path);
        } else {
            argv.addAll(List.of("-i", key.toString()));
        }
    }

    /**
     * A file path as the value of an ssh option (IdentityFile, UserKnownHostsFile). ssh expands {@code %}
     * tokens and {@code ${VAR}} in such paths; {@code %%} is its escape for {@code %}, and {@code ${} has
     * none, so such paths are refused. ssh splits option values into words (a UserKnownHostsFile list), so a
     * path with whitespace, quotes, backslashes or '#' is double-quoted with {@code \} escapes.
     */
    static String sshPath(Path path) {
        String text = path.toString();
        if (text.contains("${")) {
            throw new InvalidInputException("path '" + text + "' contains '${', which ssh would expand as a variable:"
                    + " rename or move the file");
        }
        String escaped = text.replace("%", "%%");
        if (escaped.chars().noneMatch(c -> Character.isWhitespace(c) || "\"'\\#".indexOf(c) >= 0)) {
            return escaped;
        }
        return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
