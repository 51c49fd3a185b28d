package dev.hansa.server.system;

import dev.hansa.aggregation.config.InvalidValueException;
import dev.hansa.aggregation.config.UnknownFieldException;
import dev.hansa.aggregation.tensor.InvalidInputException;
import jakarta.servlet.ServletException;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
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
    private final List<ProblemTranslator> translators;

    ProblemAdvice(List<ProblemTranslator> translators) {
        this.translators = List.copyOf(translators);
    }

    @ExceptionHandler(HansaProblem.class)
    ResponseEntity<ProblemDetail> hansa(HansaProblem e) {
        ProblemDetail problem = Problems.of(e.status(), e.reason(), e.getMessage());
        if (e instanceof InvalidField invalid) {
            problem.setProperty("field", invalid.field());
        }
        return respond(problem, HttpHeaders.EMPTY);
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalidInput(InvalidInputException e) {
        return respond(HttpStatus.BAD_REQUEST, e.reason(), e.getMessage());
    }

    /** A member nobody reads, in a federation config or another body read by hand; {@code field} names it. */
    @ExceptionHandler(UnknownFieldException.class)
    ResponseEntity<ProblemDetail> unknownField(UnknownFieldException e) {
        return respond(InputProblems.unknownField(e.field(), e.getMessage()), HttpHeaders.EMPTY);
    }

    /** A value of the wrong type or out of range in a federation config or another body read by hand. */
    @ExceptionHandler(InvalidValueException.class)
    ResponseEntity<ProblemDetail> invalidValue(InvalidValueException e) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", e.getMessage());
        problem.setProperty("field", e.field());
        return respond(problem, HttpHeaders.EMPTY);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
        return respond(HttpStatus.BAD_REQUEST, "invalid-request", e.getMessage());
    }

    /**
     * A body that is not JSON, JSON whose value for a field has the wrong type, or a member the body's type does not
     * have; the field is named when known.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return respond(InputProblems.unreadable(e), HttpHeaders.EMPTY);
    }

    /** A path variable or query parameter that does not parse as its type (a UUID, an integer in range). */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
        return respond(InputProblems.mismatch(e), HttpHeaders.EMPTY);
    }

    /** A query string Tomcat cannot decode (bad percent-encoding, too many parameters). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableQuery(InvalidParameterException e) {
        return respond(InputProblems.undecodableQuery(e), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return respond(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "query parameter '" + e.getParameterName() + "' is required");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> header(MissingRequestHeaderException e) {
        return respond(HttpStatus.BAD_REQUEST, "missing-header", "header " + e.getHeaderName() + " is required");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        String sent = e.getContentType() == null ? "no Content-Type" : "Content-Type " + e.getContentType();
        return respond(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                sent + " is not accepted here; send one of " + e.getSupportedMediaTypes()), e.getHeaders());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(Problems.of(HttpStatus.NOT_ACCEPTABLE, "not-acceptable",
                "this endpoint answers only " + e.getSupportedMediaTypes()), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return respond(Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                e.getMethod() + " is not allowed here; allowed: " + e.getSupportedHttpMethods()), e.getHeaders());
    }

    /**
     * The rest of Spring MVC's own refusals (each an {@link ErrorResponse} with its status): a reason from the status,
     * so that none of them falls through to {@code internal-error}.
     */
    @ExceptionHandler({ErrorResponseException.class, ServletException.class, TypeMismatchException.class})
    ResponseEntity<ProblemDetail> framework(Exception e) {
        if (!(e instanceof ErrorResponse response) || response.getStatusCode().is5xxServerError()) {
            return unexpected(e);
        }
        HttpStatusCode status = response.getStatusCode();
        String reason = switch (status.value()) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> "bad-request";
        };
        String detail = response.getBody().getDetail() == null
                ? "the request could not be handled" : response.getBody().getDetail();
        return respond(Problems.of(HttpStatus.valueOf(status.value()), reason, detail), response.getHeaders());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e) {
        return respond(HttpStatus.NOT_FOUND, "not-found", "no such endpoint: " + e.getResourcePath());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        for (ProblemTranslator translator : translators) {
            var translated = translator.translate(e);
            if (translated.isPresent()) {
                return respond(translated.get().problem(), translated.get().headers());
            }
        }
        log.error("unexpected error", e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "the server failed to handle the request; the error is in its log");
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatus status, String reason, String detail) {
        return respond(Problems.of(status, reason, detail), HttpHeaders.EMPTY);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            request.setAttribute(Problems.CHOSEN_ATTRIBUTE, problem, RequestAttributes.SCOPE_REQUEST);
        }
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }
}
