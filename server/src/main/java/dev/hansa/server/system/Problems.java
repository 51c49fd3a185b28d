package dev.hansa.server.system;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.ObjectMapper;

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

    /** Answers with {@code problem} from code that runs before Spring MVC (filters, security handlers). */
    public static void write(HttpServletResponse response, ObjectMapper json, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
