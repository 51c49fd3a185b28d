package dev.hansa.server.database;

import dev.hansa.server.system.ProblemTranslator;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/** Answers a failure the database's absence caused with 503 database-unavailable and {@code Retry-After}. */
@Component
class DatabaseOutageProblems implements ProblemTranslator {

    @Override
    public Optional<Translated> translate(Throwable failure) {
        if (!DatabaseOutage.isCause(failure)) {
            return Optional.empty();
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
        return Optional.of(new Translated(DatabaseOutage.problem(), headers));
    }
}
