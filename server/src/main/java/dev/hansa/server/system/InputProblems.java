package dev.hansa.server.system;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Problem details for input that could not even be converted: a JSON body that does not parse, holds a value of
 * the wrong type or a member its type does not have, a path variable or query parameter that is not of its type, a
 * query string Tomcat cannot decode. Each names the field (member {@code field}) and what it must be.
 */
final class InputProblems {

    private static final int MAX_ECHO = 200;

    private InputProblems() {
    }

    static ProblemDetail unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonBodyLimit.TooLarge) {
                return JsonBodyLimit.problem();
            }
        }
        if (!(e.getCause() instanceof JacksonException jackson)) {
            return Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "the request body is not valid JSON");
        }
        if (jackson.getPath().isEmpty()) {
            String where = jackson.getLocation() == null ? ""
                    : " (line " + jackson.getLocation().getLineNr() + ", column " + jackson.getLocation().getColumnNr() + ")";
            return Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "the request body is not valid JSON" + where);
        }
        String field = fieldPath(jackson.getPath());
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            return unknownField(field, field + ": is not a known field; allowed: "
                    + new TreeSet<>(unknown.getKnownPropertyIds().stream().map(String::valueOf).toList()));
        }
        Class<?> target = switch (jackson) {
            case MismatchedInputException m -> m.getTargetType();
            case InputCoercionException c -> c.getTargetType();
            default -> null;
        };
        return withField(Problems.of(HttpStatus.BAD_REQUEST, "malformed-json",
                field + ": " + (target == null ? "does not have the expected type" : "must be " + expected(target))), field);
    }

    /** A member the body may not hold: refused, not ignored, so that a typo or a setting the API lacks is seen. */
    static ProblemDetail unknownField(String field, String detail) {
        return withField(Problems.of(HttpStatus.BAD_REQUEST, "unknown-field", detail), field);
    }

    static ProblemDetail mismatch(MethodArgumentTypeMismatchException e) {
        String kind = e.getParameter().hasParameterAnnotation(PathVariable.class) ? "path variable" : "query parameter";
        return withField(Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", kind + " '" + e.getName()
                + "' must be " + expected(e.getRequiredType()) + ", not '" + abbreviate(String.valueOf(e.getValue())) + "'"),
                e.getName());
    }

    static ProblemDetail undecodableQuery(InvalidParameterException e) {
        HttpStatus status = HttpStatus.resolve(e.getErrorCode()) instanceof HttpStatus s && s.is4xxClientError()
                ? s : HttpStatus.BAD_REQUEST;
        // Tomcat's message names the parameter, then adds advice about its own debug logging, which is cut off.
        String why = e.getMessage() == null ? "" : ": " + abbreviate(e.getMessage().split("\\. Note that")[0]);
        return Problems.of(status, "invalid-parameter", "the query string cannot be decoded" + why);
    }

    private static ProblemDetail withField(ProblemDetail problem, String field) {
        problem.setProperty("field", field);
        return problem;
    }

    private static String fieldPath(List<JacksonException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        return switch (type.getSimpleName()) {
            case "UUID" -> "a UUID";
            case "long", "Long" -> "an integer of at most 64 bits";
            case "int", "Integer" -> "an integer of at most 32 bits";
            case "double", "Double", "float", "Float" -> "a number";
            case "boolean", "Boolean" -> "true or false";
            case "String" -> "a string";
            default -> Map.class.isAssignableFrom(type) ? "an object" : List.class.isAssignableFrom(type) ? "an array"
                    : "a " + type.getSimpleName();
        };
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }
}
