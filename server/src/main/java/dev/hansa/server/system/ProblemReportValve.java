package dev.hansa.server.system;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.http.MimeHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.ObjectMapper;

/**
 * Tomcat's report for errors it answers itself, before any servlet runs (a malformed request line or URL, a bad
 * Content-Length, an oversized header, an unsupported transfer encoding or HTTP version): a problem detail instead
 * of Tomcat's HTML page. Errors inside the application never get here; Spring MVC has answered them already.
 */
class ProblemReportValve extends ErrorReportValve {

    /** Tomcat's messages name the offending part of the request; longer ones are cut. */
    private static final int MAX_DETAIL = 300;

    private final ObjectMapper json;

    ProblemReportValve(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return; // the connection is gone: nobody would read a report
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                String message = response.getMessage() != null ? response.getMessage()
                        : throwable != null ? throwable.getMessage() : diagnose(request.getCoyoteRequest().getMimeHeaders());
                writer.write(json.writeValueAsString(problem(status, message)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away while the report was written: nothing left to tell it
        }
    }

    /**
     * What is wrong with a request Tomcat refused without saying why: it checks the framing headers before anything
     * else, so a refusal without a message comes from one of them.
     */
    static String diagnose(MimeHeaders headers) {
        int contentLength = headers.findHeader("content-length", 0);
        if (contentLength >= 0 && (headers.findHeader("content-length", contentLength + 1) >= 0
                || !headers.getValue(contentLength).toString().matches("[0-9]{1,18}"))) {
            return "Content-Length must appear once and hold a non-negative decimal integer";
        }
        if (headers.getHeader("transfer-encoding") != null) {
            return "Transfer-Encoding '" + headers.getHeader("transfer-encoding")
                    + "' is not supported; send 'chunked' or a Content-Length";
        }
        if (headers.getHeader("host") == null) {
            return "an HTTP/1.1 request needs one Host header";
        }
        return null;
    }

    static ProblemDetail problem(int code, String message) {
        HttpStatus status = HttpStatus.resolve(code);
        if (status == null) {
            status = code < 500 ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String detail = message == null || message.isBlank() ? status.getReasonPhrase()
                : message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
        return switch (status) {
            case NOT_IMPLEMENTED -> Problems.of(status, "unsupported-transfer-encoding", detail);
            case HTTP_VERSION_NOT_SUPPORTED -> Problems.of(status, "unsupported-http-version", detail);
            case METHOD_NOT_ALLOWED -> Problems.of(status, "method-not-allowed", detail);
            case NOT_FOUND -> Problems.of(status, "not-found", detail);
            default -> status.is4xxClientError()
                    ? Problems.of(status, "malformed-request", detail)
                    : Problems.of(status, "internal-error",
                            "the server failed to handle the request; the error is in its log");
        };
    }
}
