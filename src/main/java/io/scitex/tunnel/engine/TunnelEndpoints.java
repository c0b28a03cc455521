package io.scitex.tunnel.engine;

import java.util.List;
import java.util.Optional;

/**
 * What an existing tunnel command line connects: the bastion ({@code [user@]host[:port]}), the target
 * of its last {@code -R} forward, the key it logs in with and the known_hosts files it verifies the bastion
 * against. It reads ssh's option syntax, so it also understands units written by other tools (the Python
 * scitex-tunnel) and by hand.
 *
 * @param identityFile    the first key given ({@code -o IdentityFile=WORD} or {@code -i KEY}), unquoted but
 *                        not yet expanded ({@code ~}, {@code %d}...: see {@link SshConfigWords#expandPath})
 * @param knownHostsFiles the files of {@code UserKnownHostsFile}, unquoted, not expanded; empty when the
 *                        command line leaves ssh to its defaults
 */
public record TunnelEndpoints(Optional<String> bastion, Optional<String> target, Optional<String> identityFile,
                              List<String> knownHostsFiles) {
    /** ssh options that take an argument (from ssh(1)). */
    private static final String SSH_OPTIONS_WITH_ARGUMENT = "BbcDEeFIiJLlmOoPpQRSWw";
    /** A command line that says nothing. */
    public static final TunnelEndpoints NONE = new TunnelEndpoints(Optional.empty(), Optional.empty());

    public TunnelEndpoints {
        knownHostsFiles = List.copyOf(knownHostsFiles);
    }

    public TunnelEndpoints(Optional<String> bastion, Optional<String> target) {
        this(bastion, target, Optional.empty(), List.of());
    }

    /**
     * Reads an autossh or ssh argv, program name first (autossh's own {@code -M} takes an argument). As in
     * ssh, flags may be bundled ({@code -fNR PORT:HOST:PORT}), the first user and port given win, and the
     * first argument after the destination starts the remote command. The native engine's
     * {@code scitex-tunnel run} argv is read too.
     */
    public static TunnelEndpoints fromArgv(List<String> argv) {
        if (NativeCommand.isNativeCommand(argv)) {
            return fromRunArgv(argv);
        }
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
        Optional<String> bastion = host == null ? Optional.empty() : Optional.of(bastion(host, user, port));
        return new TunnelEndpoints(bastion, Optional.ofNullable(forward).map(TunnelEndpoints::target),
                Optional.ofNullable(identity), knownHosts);
    }

    /**
     * {@code scitex-tunnel run}: {@code -b}/{@code --bastion}, {@code --target} (default localhost:22),
     * {@code -s}/{@code --key} and {@code --known-hosts}. The paths are given as plain paths, so they are
     * returned with {@code %} doubled, as ssh_config words (see {@link SshConfigWords#expandPath}).
     */
    private static TunnelEndpoints fromRunArgv(List<String> argv) {
        String bastion = null;
        String target = "localhost:22";
        String key = null;
        String knownHosts = null;
        for (int i = 2; i < argv.size(); i++) {
            String arg = argv.get(i);
            String next = i + 1 < argv.size() ? argv.get(i + 1) : null;
            String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = !name.equals(arg) ? arg.substring(name.length() + 1) : next;
            boolean inline = !name.equals(arg);
            switch (name) {
                case "-b", "--bastion" -> bastion = value;
                case "--target" -> target = value;
                case "-s", "--key" -> key = value;
                case "--known-hosts" -> knownHosts = value;
                default -> {
                    if (!name.startsWith("-") || name.equals("-v") || name.equals("--verbose")) {
                        continue;
                    }
                }
            }
            if (!inline && next != null) {
                i++; // every other option of `run` takes a value
            }
        }
        return new TunnelEndpoints(Optional.ofNullable(bastion), Optional.ofNullable(target),
                Optional.ofNullable(key).map(k -> k.replace("%", "%%")),
                knownHosts == null ? List.of() : List.of(knownHosts.replace("%", "%%")));
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

    private static String bastion(String host, String user, String port) {
        String userPart = user == null ? "" : user + "@";
        if (port == null || port.equals("22")) {
            return userPart + host;
        }
        return userPart + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
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
