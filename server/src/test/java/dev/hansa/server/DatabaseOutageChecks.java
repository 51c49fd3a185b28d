package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What every server must do while its database is down, embedded or external. */
public final class DatabaseOutageChecks {

    /** Health may take this long to notice an outage. */
    static final Duration NOTICE = Duration.ofSeconds(2);
    /** A refused request may take this long (the refusal itself takes milliseconds; CI machines are slow). */
    static final Duration FAST = Duration.ofMillis(1000);

    private DatabaseOutageChecks() {
    }

    /**
     * Health says DOWN within {@link #NOTICE}, then every kind of request (a client's, whose authentication reads the
     * database; an admin's; one with an unknown credential; one to no endpoint) gets 503 database-unavailable with
     * Retry-After within {@link #FAST}, and health keeps answering quickly.
     */
    public static void answers503WhileDown(Api api, String clientCredential) throws InterruptedException {
        Eventually.await("health to say DOWN", NOTICE, () -> {
            Api.Reply health = timed(() -> api.get("/actuator/health", null));
            return health.status() == 503 && health.json().get("status").asString().equals("DOWN");
        });
        for (Supplier<Api.Reply> request : List.<Supplier<Api.Reply>>of(
                () -> api.get("/api/v1/client/assignment?waitSeconds=0", clientCredential),
                () -> api.post("/api/v1/client/heartbeat", clientCredential, Map.of()),
                () -> api.get("/api/v1/admin/federations", ADMIN),
                () -> api.get("/api/v1/admin/federations", "ha_not_a_known_token_000000"),
                () -> api.get("/no/such/endpoint", null))) {
            Api.Reply reply = timed(request);
            assertEquals(503, reply.status(), () -> new String(reply.bytes()));
            assertEquals("database-unavailable", reply.reason());
            assertEquals("5", reply.raw().headers().firstValue("Retry-After").orElse(null));
            assertEquals("application/problem+json", reply.raw().headers().firstValue("Content-Type").orElse(null));
        }
        assertEquals(503, timed(() -> api.get("/actuator/health", null)).status());
    }

    private static Api.Reply timed(Supplier<Api.Reply> request) {
        long start = System.nanoTime();
        Api.Reply reply = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(FAST) < 0, () -> "took " + took.toMillis() + " ms: " + new String(reply.bytes()));
        return reply;
    }
}
