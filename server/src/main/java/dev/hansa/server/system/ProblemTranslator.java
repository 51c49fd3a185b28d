package dev.hansa.server.system;

import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

/**
 * Turns a failure that no handler expected into the problem detail it really is (a database outage is a 503, not an
 * internal error). Features contribute translators as beans, so the problem advice needs to know none of them.
 */
public interface ProblemTranslator {

    /** The problem and its headers for {@code failure}, or empty when this translator does not recognise it. */
    Optional<Translated> translate(Throwable failure);

    /** A recognised failure's answer. */
    record Translated(ProblemDetail problem, HttpHeaders headers) {
    }
}
