package dev.hansa.server.system;

import dev.hansa.aggregation.model.InvalidTensorsException;
import dev.hansa.server.database.DatabaseOutage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every refusal to a problem detail with a reason a person can act on. */
@RestControllerAdvice
class ProblemAdvice {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(HansaProblem.class)
    ResponseEntity<ProblemDetail> hansa(HansaProblem e) {
        return respond(e.status(), e.reason(), e.getMessage());
    }

    @ExceptionHandler(InvalidTensorsException.class)
    ResponseEntity<ProblemDetail> tensors(InvalidTensorsException e) {
        return respond(HttpStatus.BAD_REQUEST, e.reason(), e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
        return respond(HttpStatus.BAD_REQUEST, "invalid-request", e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return respond(HttpStatus.BAD_REQUEST, "malformed-json", "the request body is not valid JSON of the expected shape");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
        return respond(HttpStatus.BAD_REQUEST, "invalid-request", "parameter '" + e.getName() + "' is malformed");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> header(MissingRequestHeaderException e) {
        return respond(HttpStatus.BAD_REQUEST, "missing-header", "header " + e.getHeaderName() + " is required");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return respond(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e) {
        return respond(HttpStatus.NOT_FOUND, "not-found", "no such endpoint: " + e.getResourcePath());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DatabaseOutage.isCause(e)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS))
                    .body(remember(DatabaseOutage.problem()));
        }
        log.error("unexpected error", e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "the server failed to handle the request; the error is in its log");
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatus status, String reason, String detail) {
        return ResponseEntity.status(status).body(remember(Problems.of(status, reason, detail)));
    }

    private static ProblemDetail remember(ProblemDetail problem) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            request.setAttribute(Problems.CHOSEN_ATTRIBUTE, problem, RequestAttributes.SCOPE_REQUEST);
        }
        return problem;
    }
}
