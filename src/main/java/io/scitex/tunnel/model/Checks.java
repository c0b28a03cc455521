package io.scitex.tunnel.model;

/** Preconditions shared by the value types; every rejection is an {@link InvalidInputException}. */
final class Checks {
    private Checks() {}

    static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new InvalidInputException(String.format(format, args));
        }
    }

    static int parsePort(String text, String what) {
        check(text != null && !text.isEmpty(), "%s is missing", what);
        check(text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9'),
                "%s must be a number from 1 to 65535, not %s", what, Printable.quoted(text));
        return checkPort(Integer.parseInt(text), what);
    }

    static int checkPort(int port, String what) {
        check(port >= 1 && port <= 65535, "%s must be from 1 to 65535, not %d", what, port);
        return port;
    }
}
