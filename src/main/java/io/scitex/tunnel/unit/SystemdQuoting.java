package io.scitex.tunnel.unit;

import java.util.regex.Pattern;

/**
 * Writes values into unit files so that systemd reads back exactly the intended string: no value can end
 * a line, start a new directive, split into two arguments, or be changed by specifier ({@code %}) or
 * environment ({@code $}) expansion.
 */
public final class SystemdQuoting {
    /** Characters that systemd takes literally in an unquoted exec argument. */
    private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./:@=+,-]+");

    private SystemdQuoting() {}

    /**
     * One argument of an {@code ExecStart=} line. Arguments that are not plain are double-quoted with
     * backslash escapes (systemd C-unescapes inside quotes); {@code %} and {@code $} are doubled because
     * specifier and variable expansion happen after unquoting.
     */
    public static String execArgument(String value) {
        requireNoNul(value);
        if (PLAIN_ARG.matcher(value).matches()) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 8).append('"');
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '%' -> out.append("%%");
                case '$' -> out.append("$$");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        out.append(String.format("\\x%02x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /**
     * One path in a path-list setting such as {@code BindReadOnlyPaths=}: always double-quoted, so that
     * spaces and {@code :} (the source:destination separator) stay part of the path; backslash and quote
     * are backslash-escaped and {@code %} doubled. Such settings do not expand {@code $}.
     */
    public static String pathListEntry(String path) {
        requireNoNul(path);
        if (path.codePoints().anyMatch(cp -> cp < 0x20 || cp == 0x7f)) {
            throw new IllegalArgumentException("a path with control characters cannot be listed in a unit file");
        }
        return '"' + path.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + '"';
    }

    /**
     * One {@code Environment=} assignment, {@code NAME=value}: double-quoted when the value is not plain, with
     * backslash and quote escaped and {@code %} doubled (systemd expands specifiers there, not variables).
     */
    public static String environmentAssignment(String assignment) {
        requireNoNul(assignment);
        int eq = assignment.indexOf('=');
        if (eq <= 0 || !assignment.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an environment assignment: " + assignment);
        }
        if (assignment.codePoints().anyMatch(cp -> cp < 0x20 || cp == 0x7f)) {
            throw new IllegalArgumentException("an environment value with control characters cannot be written to a unit");
        }
        if (PLAIN_ARG.matcher(assignment).matches()) {
            return assignment;
        }
        return '"' + assignment.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + '"';
    }

    /**
     * A free-text setting value such as {@code Description=}: one line, specifiers escaped. Control
     * characters and a trailing backslash (a line continuation) are replaced, since such text is
     * informational only.
     */
    public static String text(String value) {
        requireNoNul(value);
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(cp -> {
            if (cp == '%') {
                out.append("%%");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        });
        String text = out.toString().strip();
        return text.endsWith("\\") ? text + "?" : text;
    }

    private static void requireNoNul(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be written to a unit file");
        }
    }
}
