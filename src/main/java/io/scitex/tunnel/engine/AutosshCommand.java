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

    /** Paths made of these characters need no quoting as an ssh_config word. */
    private static final java.util.regex.Pattern PLAIN_SSH_WORD = java.util.regex.Pattern.compile("[A-Za-z0-9_./@:+,=%-]+");

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
        option(argv, "IdentityFile", sshPath(spec.key()));
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
     * A file path as one ssh_config word. ssh expands {@code %} tokens and {@code ${VAR}} in file paths
     * (IdentityFile, UserKnownHostsFile): {@code %%} is its escape for {@code %}, and {@code ${} has none, so
     * such paths are refused. The word is double-quoted, so spaces and {@code '} stay in it; inside, ssh
     * (8.7+) reads {@code \"} as {@code "} and {@code \\} as {@code \}, so {@code "} is escaped always and
     * {@code \} only where ssh would otherwise read an escape; other paths read the same in older ssh.
     * (ssh's {@code -i} cannot take such paths: it checks that the file exists before expanding {@code %%}.)
     */
    static String sshPath(Path path) {
        String text = path.toString();
        if (text.contains("${")) {
            throw new InvalidInputException("path '" + text + "' contains '${', which ssh would expand as a variable:"
                    + " rename or move the file");
        }
        String escaped = text.replace("%", "%%");
        if (PLAIN_SSH_WORD.matcher(escaped).matches()) {
            return escaped;
        }
        StringBuilder word = new StringBuilder("\"");
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            char next = i + 1 < escaped.length() ? escaped.charAt(i + 1) : '"';
            if (c == '"' || c == '\\' && (next == '\\' || next == '"' || next == '\'')) {
                word.append('\\');
            }
            word.append(c);
        }
        return word.append('"').toString();
    }
}
