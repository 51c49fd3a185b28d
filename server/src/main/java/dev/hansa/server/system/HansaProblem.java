package dev.hansa.server.system;

import org.springframework.http.HttpStatus;

/** A request Hansa refuses, rendered as an RFC 9457 problem detail whose {@code reason} is a stable code. */
public class HansaProblem extends RuntimeException {

    private final HttpStatus status;
    private final String reason;

    public HansaProblem(HttpStatus status, String reason, String detail) {
        super(detail);
        this.status = status;
        this.reason = reason;
    }

    public HttpStatus status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
