package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A federation's {@code update} section that cannot hold (an L-GreCo section on a codec without the knob, a density
 * its grid would push past 1, a malformed grid, more error reports than an update's metadata carries) is refused
 * with a problem naming the field, and nothing is created.
 */
class UpdateCodecConfigRestTest extends EmbeddedServerTest {

    private Api.Reply create(List<Integer> hidden, Map<String, Object> update) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "update section");
        body.put("model", Map.of("architecture", "mlp",
                "params", Map.of("inputSize", 4, "hiddenLayers", hidden, "numClasses", 2)));
        body.put("strategy", Map.of("name", "fedavg"));
        body.put("update", update);
        body.put("schedule", Map.of("rounds", 1, "minClients", 1, "maxClients", 10));
        return api.post("/api/v1/admin/federations", ADMIN, body);
    }

    private int federations() {
        return api.get("/api/v1/admin/federations", ADMIN).json().size();
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "1 | {\"codec\": \"sign\", \"lgreco\": {\"every\": 2}}              | update.lgreco plans a codec's knob",
            "1 | {\"codec\": \"randk\", \"k\": 0.1, \"lgreco\": {\"every\": 2}}            | randk has none",
            "1 | {\"codec\": \"topk\", \"k\": 0.5, \"lgreco\": {\"every\": 2}}             | update.lgreco plans topk",
            "1 | {\"codec\": \"topk\", \"k\": 0.1, \"lgreco\": {\"every\": 0}}             | update.lgreco.every",
            "1 | {\"codec\": \"topk\", \"k\": 0.1, \"lgreco\": {\"options\": 3}}           | update.lgreco.every is required",
            "1 | {\"codec\": \"topk\", \"k\": 0.1, \"lgreco\": {\"every\": 1, \"options\": 6}} | update.lgreco.options",
            "1 | {\"codec\": \"topk\", \"k\": 0.1, \"lgreco\": {\"every\": 1, \"rate\": 1}} | update.lgreco: unknown field(s) [rate]",
            "5 | {\"codec\": \"topk\", \"k\": 0.1, \"lgreco\": {\"every\": 1}}             | update.lgreco.options: 12 tensors x 5 options"})
    @SuppressWarnings("unchecked")
    void aSectionThatCannotHoldIsRefusedNamingTheFieldAndNothingIsCreated(int layers, String update, String field) {
        int before = federations();
        Api.Reply r = create(Collections.nCopies(layers, 3), Api.JSON.readValue(update, Map.class));
        assertEquals(400, r.status(), () -> new String(r.bytes()));
        // A member nobody reads is unknown-field (naming it in "field" too); a bad value is invalid-request.
        assertEquals(field.contains("unknown field") ? "unknown-field" : "invalid-request", r.reason());
        assertTrue(r.json().get("detail").asString().contains(field), r.json().get("detail").asString());
        if (field.contains("has none") || field.contains("plans")) {
            assertEquals("update.lgreco", r.json().get("field").asString(), "the problem names the section");
        }
        assertEquals(before, federations(), "nothing created");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"codec\": \"topk\", \"k\": 0.1, \"lgreco\": {\"every\": 3}}",
            "{\"codec\": \"qsgd\", \"params\": {\"levels\": 7}, \"lgreco\": {\"every\": 3}}",
            "{\"codec\": \"sparseloco\", \"errorFeedback\": true, \"lgreco\": {\"every\": 3, \"options\": 3}}"})
    @SuppressWarnings("unchecked")
    void aValidLgrecoSectionIsAcceptedOnEveryCodecWithAKnob(String update) {
        Api.Reply r = create(List.of(3), Api.JSON.readValue(update, Map.class));
        assertEquals(201, r.status(), () -> new String(r.bytes()));
    }
}
