package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Prometheus metrics at /api/v1/admin/metrics move with rounds and uploads; health names PostgreSQL. */
class MetricsTest extends EmbeddedServerTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(?:\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** Every sample of a scrape, keyed by name and its labels in the order the scrape wrote them. */
    private Map<String, Double> scrape() {
        Api.Reply reply = api.get("/api/v1/admin/metrics", ADMIN);
        assertEquals(200, reply.status(), () -> new String(reply.bytes()));
        assertTrue(reply.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        Map<String, Double> out = new HashMap<>();
        Matcher m = SAMPLE.matcher(new String(reply.bytes()));
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
        }
        return out;
    }

    private static double value(Map<String, Double> scrape, String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return scrape.getOrDefault(name + l, 0.0);
    }

    private static void assertMoved(double by, Map<String, Double> before, Map<String, Double> after, String name,
                                    String... labels) {
        // Durations come from timestamps PostgreSQL stores to the microsecond.
        assertEquals(by, value(after, name, labels) - value(before, name, labels), 1e-3,
                name + " " + String.join(",", labels));
    }

    @Test
    void roundsUploadsBytesAndDurationsMoveWithARound() {
        FederationFixture f = new FederationFixture(api, 2, 1, 60, 1.0, "fedavg");
        Map<String, Double> before = scrape();
        f.start();
        orchestrator.tick();
        String round = f.roundIdOf(f.clients.get(0));
        String path = "/api/v1/client/rounds/" + round + "/update";
        ModelSpec wrong = new ModelSpec(FederationFixture.SPEC.tensors().stream()
                .map(t -> t.name().equals("fc2.bias") ? new TensorSpec("fc3.bias", t.shape()) : t).toList());
        byte[] refused = Safetensors.write(new Tensors(wrong, new float[wrong.parameterCount()]),
                Map.of("num_samples", "1"));
        assertEquals(400, api.put(path, f.clients.get(0).credential(), refused, "bad").status());
        clock.advance(Duration.ofSeconds(5));
        byte[] first = FederationFixture.upload(randomDelta(70), 10);
        byte[] second = FederationFixture.upload(randomDelta(71), 10);
        assertEquals(202, api.put(path, f.clients.get(0).credential(), first, "a").status());
        assertEquals(200, api.put(path, f.clients.get(0).credential(), first, "a").status(), "a replay");
        assertEquals(202, api.put(path, f.clients.get(1).credential(), second, "b").status());
        orchestrator.tick();
        assertEquals("FINISHED", f.status());
        Map<String, Double> after = scrape();

        assertMoved(1, before, after, "hansa_rounds_opened_total");
        assertMoved(1, before, after, "hansa_rounds_ended_total", "outcome", "closed");
        assertMoved(0, before, after, "hansa_rounds_ended_total", "outcome", "failed");
        assertMoved(2, before, after, "hansa_uploads_total", "outcome", "accepted", "reason", "none");
        assertMoved(1, before, after, "hansa_uploads_total", "outcome", "rejected", "reason", "unexpected-tensor");
        assertMoved(first.length + second.length, before, after, "hansa_ingest_bytes_total");
        assertMoved(1, before, after, "hansa_round_duration_seconds_count", "outcome", "closed");
        assertMoved(5, before, after, "hansa_round_duration_seconds_sum", "outcome", "closed");
    }

    @Test
    void cancelledAndFailedRoundsAreCountedByOutcome() {
        FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        Map<String, Double> before = scrape();
        f.start();
        orchestrator.tick();
        api.post("/api/v1/admin/rounds/" + f.roundIdOf(f.clients.get(0)) + "/cancel", ADMIN, null);
        orchestrator.tick();
        clock.advance(Duration.ofSeconds(61));
        orchestrator.tick();
        Map<String, Double> after = scrape();
        assertMoved(2, before, after, "hansa_rounds_opened_total");
        assertMoved(1, before, after, "hansa_rounds_ended_total", "outcome", "cancelled");
        assertMoved(1, before, after, "hansa_rounds_ended_total", "outcome", "failed");
        assertMoved(61, before, after, "hansa_round_duration_seconds_sum", "outcome", "failed");
    }

    @Test
    void healthNamesPostgresAndMetricsAreForTheAdminApiOnly() {
        Api.Reply health = api.get("/actuator/health", null);
        assertEquals(200, health.status());
        assertEquals("UP", health.json().get("components").get("db").get("status").asString(), health.json().toString());
        assertEquals(401, api.get("/api/v1/admin/metrics", null).status());
        assertNotEquals(200, api.get("/actuator/prometheus", ADMIN).status(), "the actuator endpoint is not exposed");
    }
}
