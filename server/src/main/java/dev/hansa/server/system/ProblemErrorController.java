package dev.hansa.server.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders what reaches the container's {@code /error} dispatch as a problem detail too: errors raised outside
 * controllers, and responses the container turns into errors after a handler already answered (a body read that
 * failed half-way). A problem a handler already chose for the request wins over one derived from the status alone.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        ProblemDetail problem = request.getAttribute(Problems.CHOSEN_ATTRIBUTE) instanceof ProblemDetail chosen
                ? chosen : fromStatus(request);
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ProblemDetail fromStatus(HttpServletRequest request) {
        HttpStatus status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                && HttpStatus.resolve(code) != null ? HttpStatus.resolve(code) : HttpStatus.INTERNAL_SERVER_ERROR;
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        return switch (status) {
            case NOT_FOUND -> Problems.of(status, "not-found", "no such endpoint: " + path);
            case METHOD_NOT_ALLOWED -> Problems.of(status, "method-not-allowed", "method not allowed on " + path);
            default -> status.is4xxClientError()
                    ? Problems.of(status, "bad-request", "the request to " + path + " could not be read")
                    : Problems.of(status, "internal-error", "the server failed to handle the request; the error is in its log");
        };
    }
}
