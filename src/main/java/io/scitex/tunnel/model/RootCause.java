package io.scitex.tunnel.model;

/**
 * The innermost cause of a failure, and its words: MINA and the JDK wrap what actually went wrong (a refused
 * connection, a timeout, a rejected key) in layers that say less, so messages for people quote the innermost.
 */
public final class RootCause {
    private RootCause() {}

    /** The innermost cause of {@code failure} ({@code failure} itself if it has none); a self-cause ends the walk. */
    public static Throwable of(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost cause's message, else its class name: a bare {@code EOFException} still says what happened. */
    public static String message(Throwable failure) {
        Throwable root = of(failure);
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /**
     * As {@link #message}, except that when the innermost cause has no message the failure's own comes before
     * the class name (a wrapper may say what its bare cause does not); {@code "no reason given"} for no failure
     * at all.
     */
    public static String messageOrOuter(Throwable failure) {
        if (failure == null) {
            return "no reason given";
        }
        if (of(failure).getMessage() == null && failure.getMessage() != null) {
            return failure.getMessage();
        }
        return message(failure);
    }
}
