package org.interphase.inference;

/** A model file that cannot be used: the message is one line naming the cause and the fix. */
public final class ModelContractException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelContractException(String message) {
        super(message);
    }
}
