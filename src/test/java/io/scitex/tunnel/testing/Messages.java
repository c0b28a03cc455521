package io.scitex.tunnel.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Error messages are shown to users as one line: nothing in them may break or hide a line. */
public final class Messages {
    private Messages() {}

    public static boolean isOneLine(String message) {
        return message != null && !message.isBlank()
                && message.codePoints().noneMatch(cp -> Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029);
    }

    public static void assertOneLine(Throwable failure) {
        assertThat(failure.getMessage())
                .as("message of %s", failure.getClass().getSimpleName())
                .matches(Messages::isOneLine, "is one line without control characters");
    }
}
