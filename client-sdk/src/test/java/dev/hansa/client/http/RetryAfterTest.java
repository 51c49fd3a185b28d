package dev.hansa.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static Duration of(String value) {
        return RetryAfter.of(HttpHeaders.of(Map.of("Retry-After", List.of(value)), (k, v) -> true), NOW);
    }

    @Test
    void delaySeconds() {
        assertEquals(Duration.ofSeconds(7), of("7"));
        assertEquals(Duration.ZERO, of("0"));
        assertEquals(Duration.ofSeconds(999_999_999), of("99999999999999999999"), "too long to parse is a long wait");
    }

    @Test
    void httpDateIsTheTimeLeftUntilThen() {
        assertEquals(Duration.ofSeconds(90), of("Fri, 27 Nov 2026 12:01:30 GMT"));
        assertEquals(Duration.ZERO, of("Fri, 27 Nov 2026 11:59:00 GMT"), "a date in the past asks for no wait");
    }

    @Test
    void absentOrMalformedAsksForNothing() {
        assertEquals(Duration.ZERO, RetryAfter.of(HttpHeaders.of(Map.of(), (k, v) -> true), NOW));
        assertEquals(Duration.ZERO, of("soon"));
        assertEquals(Duration.ZERO, of("-5"));
        assertEquals(Duration.ZERO, of("1.5"));
    }
}
