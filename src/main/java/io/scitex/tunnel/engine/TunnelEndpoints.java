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

    /** Reads an autossh or ssh argv, program name first (autossh's own {@code -M} takes an argument). */
    public static TunnelEndpoints fromArgv(List<String> argv) {
        String user = null;
        String host = null;
        String port = null;
        String forward = null;
        String identity = null;
        List<String> knownHosts = List.of();
        boolean autossh = !argv.isEmpty() && argv.get(0).endsWith("autossh");
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--") || !arg.startsWith("-") || arg.length() < 2) {
                if (host == null && !arg.equals("--")) {
                    host = arg;
                }
                continue;
            }
            for (int j = 1; j < arg.length(); j++) { // a cluster such as -NR: flags, then one option with a value
                char letter = arg.charAt(j);
                if (!(letter == 'M' && autossh) && SSH_OPTIONS_WITH_ARGUMENT.indexOf(letter) < 0) {
                    continue;
                }
                String value = j + 1 < arg.length() ? arg.substring(j + 1) : (i + 1 < argv.size() ? argv.get(++i) : "");
                switch (letter) {
                    case 'l' -> user = value;
                    case 'p' -> port = value;
                    case 'R' -> forward = value;
                    case 'i' -> identity = identity == null ? value : identity;
                    case 'o' -> {
                        String[] kv = keywordAndValue(value);
                        List<String> words = SshConfigWords.split(kv[1]);
                        if (words.isEmpty()) {
                            break;
                        }
                        switch (kv[0].toLowerCase(java.util.Locale.ROOT)) {
                            case "port" -> port = words.get(0);
                            case "user" -> user = words.get(0);
                            case "identityfile" -> identity = identity == null ? words.get(0) : identity;
                            // as in ssh_config, the first value obtained wins
                            case "userknownhostsfile" -> knownHosts = knownHosts.isEmpty() ? words : knownHosts;
                            default -> { }
                        }
                    }
                    default -> { }
                }
                break;
            }
        }
        Optional<String> bastion = host == null ? Optional.empty() : Optional.of(bastion(host, user, port));
        return new TunnelEndpoints(bastion, Optional.ofNullable(forward).map(TunnelEndpoints::target),
                Optional.ofNullable(identity), knownHosts);
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

    private static String bastion(String destination, String user, String port) {
        String dest = destination.startsWith("ssh://") ? destination.substring("ssh://".length()) : destination;
        if (user != null && !dest.contains("@")) {
            dest = user + "@" + dest;
        }
        return port == null || port.equals("22") ? dest : dest + ":" + port;
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
