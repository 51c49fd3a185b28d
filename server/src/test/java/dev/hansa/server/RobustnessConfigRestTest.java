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
 * A federation's {@code robustness} section that cannot hold (f out of range, an unknown rule or parameter, a rule
 * that needs larger rounds than the schedule allows, a rule the strategy cannot serve) is refused with a problem
 * naming the field, and nothing is created.
 */
class RobustnessConfigRestTest extends EmbeddedServerTest {

    private Api.Reply create(String strategy, int minClients, Map<String, Object> robustness) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "robustness " + strategy);
        body.put("model", Map.of("architecture", "mlp",
                "params", Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2)));
        body.put("strategy", Map.of("name", strategy));
        body.put("robustness", robustness);
        body.put("schedule", Map.of("rounds", 1, "minClients", minClients, "maxClients", Math.max(minClients, 10)));
        return api.post("/api/v1/admin/federations", ADMIN, body);
    }

    private int federations() {
        return api.get("/api/v1/admin/federations", ADMIN).json().size();
    }

    @ParameterizedTest(name = "{0} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "fedavg | 5 | {\"f\": -1}                                              | robustness.f",
            "fedavg | 5 | {\"f\": 1.5}                                             | robustness.f",
            "fedavg | 5 | {\"aggregator\": \"krumm\"}                              | robustness.aggregator",
            "fedavg | 5 | {\"aggregator\": \"median\", \"aggregatorParams\": {\"x\": 1}} | robustness.aggregatorParams: unknown field(s) [x]",
            "fedavg | 4 | {\"aggregator\": \"median\", \"f\": 2}                    | robustness: median with f = 2 needs n > 2f (at least 5 updates), gets 4",
            "fedavg | 8 | {\"aggregator\": \"median\", \"f\": 2, \"preAggregators\": [{\"name\": \"bucketing\"}]} | robustness: median with f = 2 needs n > 2f (at least 5 updates), gets 4",
            "fedavg | 5 | {\"preAggregators\": [{\"name\": \"shuffle\"}]}            | robustness.preAggregators[0].name",
            "fedavg | 5 | {\"preAggregators\": [{\"name\": \"bucketing\", \"bucketSize\": 0}]} | robustness.preAggregators[0].bucketSize",
            "fedamd | 5 | {\"aggregator\": \"median\"}                             | robustness.aggregator: strategy fedamd needs the exact sum"})
    @SuppressWarnings("unchecked")
    void aSectionThatCannotHoldIsRefusedNamingTheFieldAndNothingIsCreated(String strategy, int minClients,
                                                                         String robustness, String field) {
        int before = federations();
        Api.Reply r = create(strategy, minClients, Api.JSON.readValue(robustness, Map.class));
        assertEquals(400, r.status(), () -> new String(r.bytes()));
        // A member nobody reads is unknown-field (naming it in "field" too); a bad value is invalid-request.
        assertEquals(field.contains("unknown field") ? "unknown-field" : "invalid-request", r.reason());
        assertTrue(r.json().get("detail").asString().contains(field), r.json().get("detail").asString());
        assertEquals(before, federations(), "nothing created");
    }
}
