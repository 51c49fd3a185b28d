package dev.hansa.aggregation.update;

/**
 * An update was refused; {@link #reason()} is a stable code (the REST API's problem {@code reason}), the message
 * says what to fix.
 */
public final class InvalidUpdateException extends RuntimeException {

    private final String reason;

    public InvalidUpdateException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
