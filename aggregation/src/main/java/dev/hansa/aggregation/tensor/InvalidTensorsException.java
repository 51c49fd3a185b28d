package dev.hansa.aggregation.tensor;

/** Untrusted tensor bytes were rejected; {@link #reason()} is a stable code, the message says what to fix. */
public final class InvalidTensorsException extends RuntimeException {

    private final String reason;

    public InvalidTensorsException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A short machine-readable code such as {@code malformed-safetensors} or {@code shape-mismatch}. */
    public String reason() {
        return reason;
    }
}
