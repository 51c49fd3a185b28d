package dev.hansa.aggregation.tensor;

/**
 * Untrusted input (tensor bytes, an update's frame or values) was refused: {@link #reason()} is a stable code (the
 * REST API's problem {@code reason}), the message says what to fix. A server answers every subclass alike.
 */
public abstract class InvalidInputException extends RuntimeException {

    private final String reason;

    protected InvalidInputException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A short machine-readable code such as {@code malformed-safetensors} or {@code non-finite-update}. */
    public String reason() {
        return reason;
    }
}
