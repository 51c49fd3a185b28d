package dev.hansa.server.system;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds Hansa's problem details: {@code type} is {@value #TYPE_BASE}<i>reason</i>, plus a {@code reason} member. */
public final class Problems {

    public static final String TYPE_BASE = "https://hansa.dev/problems/";
    /** Request attribute holding the problem a handler answered with, for the container's error dispatch. */
    static final String CHOSEN_ATTRIBUTE = Problems.class.getName() + ".chosen";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String reason, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + reason));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("reason", reason);
        return problem;
    }
}
