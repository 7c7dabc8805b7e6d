package org.interphase.pair;

/** The model produced NaN or Inf for a real atom or edge. */
public final class NonFiniteOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteOutputException(String message) {
        super(message, null, false, false);
    }
}
