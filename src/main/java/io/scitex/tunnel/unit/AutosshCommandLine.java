package io.scitex.tunnel.unit;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The autossh command line of a unit, written and read back. Written: the argv that runs one tunnel: {@code autossh -M 0 -N} around an ssh that never prompts, verifies the
 * bastion strictly against the tunnel's own pinned known_hosts, reads no user configuration, offers only
 * the given key, notices a dead link within the keepalive bound and exits when the forward is refused.
 */
public final class AutosshCommandLine {
    /** Environment for autossh: never treat a quick exit as fatal; bound its backoff between restarts. */
    public static final List<String> ENVIRONMENT = List.of("AUTOSSH_GATETIME=0", "AUTOSSH_POLL=10");

    /** ssh options that take an argument (from ssh(1)). */
    private static final String SSH_OPTIONS_WITH_ARGUMENT = "BbcDEeFIiJLlmOoPpQRSWw";
    /** Paths made of these characters need no quoting as an ssh_config word. */
    private static final java.util.regex.Pattern PLAIN_SSH_WORD = java.util.regex.Pattern.compile("[A-Za-z0-9_./@:+,=%-]+");

    private AutosshCommandLine() {}

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

    /**
     * Reads an autossh or ssh argv, program name first (autossh's own {@code -M} takes an argument). As in
     * ssh, flags may be bundled ({@code -fNR PORT:HOST:PORT}), the first user and port given win, and the
     * first argument after the destination starts the remote command.
     */
    public static TunnelEndpoints parse(List<String> argv) {
        String user = null;
        String host = null;
        String port = null;
        String forward = null;
        String identity = null;
        List<String> knownHosts = List.of();
        boolean autossh = !argv.isEmpty() && argv.get(0).endsWith("autossh");
        boolean optionsEnded = false;
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (optionsEnded || !arg.startsWith("-") || arg.length() < 2) {
                if (host != null) {
                    break; // the remote command
                }
                String destination = arg.startsWith("ssh://") ? arg.substring("ssh://".length()) : arg;
                int at = destination.lastIndexOf('@');
                if (at >= 0 && user == null) {
                    user = destination.substring(0, at);
                }
                host = destination.substring(at + 1);
                if (arg.startsWith("ssh://")) {
                    String[] hostPort = splitUriHost(host);
                    host = hostPort[0];
                    port = port == null ? hostPort[1] : port;
                }
                continue;
            }
            for (int j = 1; j < arg.length(); j++) {
                char letter = arg.charAt(j);
                if (letter == 'M' && autossh || SSH_OPTIONS_WITH_ARGUMENT.indexOf(letter) >= 0) {
                    String value = j + 1 < arg.length() ? arg.substring(j + 1)
                            : (i + 1 < argv.size() ? argv.get(++i) : "");
                    switch (letter) {
                        case 'l' -> user = user == null ? value : user;
                        case 'p' -> port = port == null ? value : port;
                        case 'R' -> forward = value;
                        case 'i' -> identity = identity == null ? value : identity;
                        case 'o' -> {
                            // as in ssh_config, the first value obtained wins
                            String[] kv = keywordAndValue(value);
                            List<String> words = SshConfigWords.split(kv[1]);
                            if (words.isEmpty()) {
                                break;
                            }
                            switch (kv[0].toLowerCase(java.util.Locale.ROOT)) {
                                case "port" -> port = port == null ? words.get(0) : port;
                                case "user" -> user = user == null ? words.get(0) : user;
                                case "identityfile" -> identity = identity == null ? words.get(0) : identity;
                                case "userknownhostsfile" -> knownHosts = knownHosts.isEmpty() ? words : knownHosts;
                                default -> { }
                            }
                        }
                        default -> { }
                    }
                    break;
                }
            }
        }
        Optional<String> bastion = host == null ? Optional.empty() : Optional.of(TunnelEndpoints.bastion(host, user, port));
        return new TunnelEndpoints(bastion, Optional.ofNullable(forward).map(AutosshCommandLine::target),
                Optional.ofNullable(identity), knownHosts);
    }

    /**
     * The bastion-side bind address of the last {@code -R} in an argv ({@code BIND:PORT:HOST:HOSTPORT}),
     * if it names one; without one the bastion listens on its loopback.
     */
    public static Optional<String> remoteBind(List<String> argv) {
        String forward = null;
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("-R") && i + 1 < argv.size()) {
                forward = argv.get(++i);
            } else if (arg.startsWith("-R") && arg.length() > 2) {
                forward = arg.substring(2);
            }
        }
        if (forward == null) {
            return Optional.empty();
        }
        List<String> fields = splitForward(forward);
        return fields.size() >= 4 && !fields.get(0).isEmpty() ? Optional.of(fields.get(0)) : Optional.empty();
    }

    /** {@code Keyword=value}, {@code Keyword value} or {@code Keyword = value}, as ssh_config allows. */
    private static String[] keywordAndValue(String option) {
        String text = option.strip();
        int end = 0;
        while (end < text.length() && " \t=".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        String rest = text.substring(end).stripLeading();
        if (rest.startsWith("=")) {
            rest = rest.substring(1).stripLeading();
        }
        return new String[] {text.substring(0, end), rest};
    }

    /** Splits the {@code host[:port]} of an ssh URI (IPv6 in brackets); the port is null when absent. */
    private static String[] splitUriHost(String hostPort) {
        String rest = hostPort.endsWith("/") ? hostPort.substring(0, hostPort.length() - 1) : hostPort;
        int close = rest.startsWith("[") ? rest.indexOf(']') : -1;
        int colon = rest.indexOf(':', Math.max(close, 0));
        String host = colon < 0 ? rest : rest.substring(0, colon);
        if (close > 0) {
            host = rest.substring(1, close);
        }
        return new String[] {host, colon < 0 ? null : rest.substring(colon + 1)};
    }

    /** The target of {@code [bind:]port:host:hostport}: its last two fields. */
    private static String target(String forward) {
        List<String> fields = splitForward(forward);
        return fields.size() >= 3
                ? fields.get(fields.size() - 2) + ":" + fields.get(fields.size() - 1)
                : forward;
    }

    private static List<String> splitForward(String forward) {
        java.util.ArrayList<String> fields = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean bracket = false;
        for (char c : forward.toCharArray()) {
            if (c == '[') {
                bracket = true;
            } else if (c == ']') {
                bracket = false;
            }
            if (c == ':' && !bracket) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
