package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A FetchSGD federation over REST: what it cannot run with (robust rules, DP, client error feedback, another codec,
 * a parameter out of range) is refused with a problem naming the field and why, and nothing is created.
 */
class FetchSgdConfigRestTest extends EmbeddedServerTest {

    private Api.Reply create(String strategy, Map<String, Object> sections) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "fetchsgd section");
        body.put("model", Map.of("architecture", "mlp",
                "params", Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2)));
        body.put("strategy", Map.of("name", strategy, "params", sections.getOrDefault("strategy", Map.of())));
        body.put("update", sections.getOrDefault("update", Map.of()));
        body.put("robustness", sections.getOrDefault("robustness", Map.of()));
        if (sections.containsKey("privacy")) {
            body.put("privacy", sections.get("privacy"));
        }
        body.put("schedule", sections.getOrDefault("schedule", Map.of("rounds", 2, "minClients", 1,
                "maxClients", 10)));
        return api.post("/api/v1/admin/federations", ADMIN, body);
    }

    private int federations() {
        return api.get("/api/v1/admin/federations", ADMIN).json().size();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "fetchsgd | {\"robustness\": {\"aggregator\": \"median\"}} | robustness.aggregator: strategy fetchsgd",
            "fetchsgd | {\"strategy\": {\"weighting\": \"uniform\"}, \"schedule\": {\"rounds\": 2, \"minClients\": 1,"
                    + " \"sampler\": \"poisson\", \"clientFraction\": 0.5}, \"privacy\": {\"noiseMultiplier\": 1.0,"
                    + " \"clipNorm\": 1.0, \"delta\": 1e-5}} | privacy: strategy fetchsgd sums count sketches",
            "fetchsgd | {\"update\": {\"errorFeedback\": true}} | update.errorFeedback: with codec fetchsgd",
            "fetchsgd | {\"update\": {\"codec\": \"topk\", \"k\": 0.1}} | update.codec: strategy fetchsgd merges",
            "fedavg   | {\"update\": {\"codec\": \"fetchsgd\"}} | update.codec: fetchsgd sends count sketch tables",
            "fetchsgd | {\"strategy\": {\"k\": 0}} | strategy.params.k",
            "fetchsgd | {\"strategy\": {\"serverMomentum\": 1}} | strategy.params.serverMomentum",
            "fetchsgd | {\"update\": {\"params\": {\"columns\": 0}}} | update.params.columns"})
    @SuppressWarnings("unchecked")
    void whatItCannotRunWithIsRefusedNamingTheFieldAndNothingIsCreated(String strategy, String sections,
                                                                       String field) {
        int before = federations();
        Api.Reply r = create(strategy, Api.JSON.readValue(sections, Map.class));
        assertEquals(400, r.status(), () -> new String(r.bytes()));
        assertEquals("invalid-request", r.reason());
        assertTrue(r.json().get("detail").asString().contains(field), r.json().get("detail").asString());
        assertEquals(before, federations(), "nothing created");
        if (field.startsWith("strategy.params.") || field.startsWith("update.params.")) {
            assertEquals(field, r.json().get("field").asString(), "a value out of range names its path");
        }
    }
}
