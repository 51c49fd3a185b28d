package dev.hansa.client.http;

/** The server refused a request with a problem detail; {@link #reason()} is its stable code. */
public final class HansaProtocolException extends RuntimeException {

    private final int status;
    private final String reason;

    public HansaProtocolException(int status, String reason, String detail) {
        super(status + " " + reason + ": " + detail);
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
