package io.scitex.tunnel.engine;

import java.util.List;
import java.util.Optional;

/**
 * What an existing tunnel command line connects: the bastion ({@code [user@]host[:port]}) and the target
 * of its last {@code -R} forward. It reads ssh's option syntax, so it also understands units written by
 * other tools (the Python scitex-tunnel) and by hand.
 */
public record TunnelEndpoints(Optional<String> bastion, Optional<String> target) {
    /** ssh options that take an argument (from ssh(1)). */
    private static final String SSH_OPTIONS_WITH_ARGUMENT = "BbcDEeFIiJLlmOoPpQRSWw";

    /**
     * Reads an autossh or ssh argv, program name first (autossh's own {@code -M} takes an argument), or the
     * native engine's {@code scitex-tunnel run} argv.
     */
    public static TunnelEndpoints fromArgv(List<String> argv) {
        if (NativeCommand.isNativeCommand(argv)) {
            return fromRunArgv(argv);
        }
        String user = null;
        String host = null;
        String port = null;
        String forward = null;
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
                    case 'o' -> {
                        String[] kv = value.split("[= ]", 2);
                        if (kv.length == 2 && kv[0].equalsIgnoreCase("Port")) {
                            port = kv[1];
                        } else if (kv.length == 2 && kv[0].equalsIgnoreCase("User")) {
                            user = kv[1];
                        }
                    }
                    default -> { }
                }
                break;
            }
        }
        Optional<String> bastion = host == null ? Optional.empty() : Optional.of(bastion(host, user, port));
        return new TunnelEndpoints(bastion, Optional.ofNullable(forward).map(TunnelEndpoints::target));
    }

    /** {@code scitex-tunnel run}: {@code -b}/{@code --bastion} and {@code --target} (default localhost:22). */
    private static TunnelEndpoints fromRunArgv(List<String> argv) {
        String bastion = null;
        String target = "localhost:22";
        for (int i = 2; i < argv.size(); i++) {
            String arg = argv.get(i);
            String next = i + 1 < argv.size() ? argv.get(i + 1) : null;
            if ((arg.equals("-b") || arg.equals("--bastion")) && next != null) {
                bastion = next;
                i++;
            } else if (arg.startsWith("--bastion=")) {
                bastion = arg.substring("--bastion=".length());
            } else if (arg.startsWith("-b") && arg.length() > 2) {
                bastion = arg.substring(2);
            } else if (arg.equals("--target") && next != null) {
                target = next;
                i++;
            } else if (arg.startsWith("--target=")) {
                target = arg.substring("--target=".length());
            } else if (arg.startsWith("-") && !arg.contains("=") && next != null && !arg.equals("-v")
                    && !arg.equals("--verbose")) {
                i++; // every other option of `run` takes a value
            }
        }
        return new TunnelEndpoints(Optional.ofNullable(bastion), Optional.of(target));
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
