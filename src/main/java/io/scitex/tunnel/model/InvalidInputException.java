package io.scitex.tunnel.model;

/**
 * A value given by the user cannot be used. The message is one line that says what is wrong and, where
 * it helps, what to do instead; it is shown to the user as is.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
