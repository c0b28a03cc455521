package io.scitex.tunnel.fleet;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each field of a tunnels file is written, for messages: the TOML reader keeps values, not lines. Reads
 * table headers ({@code [defaults]}, {@code [[tunnel]]}) and {@code key =} lines; a field it cannot place is
 * named with its table's line.
 */
final class FieldLines {
    private static final Pattern TUNNEL = Pattern.compile("\\s*\\[\\[\\s*tunnel\\s*]]\\s*(#.*)?");
    private static final Pattern TABLE = Pattern.compile("\\s*\\[\\s*([A-Za-z0-9_\"-]+)\\s*]\\s*(#.*)?");
    private static final Pattern KEY = Pattern.compile("\\s*([A-Za-z0-9_-]+|\"[^\"]*\")\\s*=.*");

    private final Map<String, Integer> lines = new HashMap<>();

    private FieldLines() {}

    static FieldLines in(String text) {
        FieldLines found = new FieldLines();
        String table = "";
        int tunnels = 0;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            Matcher key;
            if (TUNNEL.matcher(lines[i]).matches()) {
                table = TunnelsFile.tunnelName(++tunnels);
                found.lines.putIfAbsent(table, line);
            } else if (lines[i].trim().startsWith("[") && TABLE.matcher(lines[i]).matches()) {
                Matcher header = TABLE.matcher(lines[i]);
                header.matches();
                table = unquote(header.group(1));
                found.lines.putIfAbsent(table, line);
            } else if ((key = KEY.matcher(lines[i])).matches()) {
                String name = unquote(key.group(1));
                found.lines.putIfAbsent(table.isEmpty() ? name : table + "." + name, line);
            }
        }
        return found;
    }

    /** The line of {@code field} ({@code "tunnel[2].target"}), else of its table, else 1. */
    int lineOf(String field) {
        Integer line = lines.get(field);
        if (line != null) {
            return line;
        }
        int dot = field.lastIndexOf('.');
        return dot > 0 ? lineOf(field.substring(0, dot)) : 1;
    }

    private static String unquote(String name) {
        return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1)
                : name;
    }
}
