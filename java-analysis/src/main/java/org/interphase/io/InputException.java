package org.interphase.io;

/** A problem with user input (file, option). Its message is one line naming the cause and the fix. */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line message. */
    public InputException(String message) {
        super(message);
    }

    /** Creates the exception with a one-line message and the underlying cause. */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
