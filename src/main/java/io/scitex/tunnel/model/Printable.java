package io.scitex.tunnel.model;

/**
 * Text from outside (a bastion's greeting, a journal line, a file, a command-line argument) made safe to print
 * on one line: control characters and Unicode line separators are shown as escapes, so they can neither break
 * the line nor reach the terminal.
 */
public final class Printable {
    private Printable() {}

    /** {@code text} with every control character as {@code \xNN} and U+2028/U+2029 as {@code \\uNNNN}. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder();
        String.valueOf(text).codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp == 0x2028 || cp == 0x2029) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** {@code text} escaped and in single quotes, as error messages show a value the user gave. */
    public static String quoted(String text) {
        return "'" + escape(text) + "'";
    }
}
