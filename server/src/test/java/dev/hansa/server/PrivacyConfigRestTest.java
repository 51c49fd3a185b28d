package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.privacy.accounting.NoiseMultiplierPlanner;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A DP federation's {@code privacy} section through the admin API: every invalid parameter answers 400 with the field
 * named and nothing is created; a valid one is stored with the planned multiplier; the planner endpoint; adaptive
 * clipping over HTTP.
 */
class PrivacyConfigRestTest extends EmbeddedServerTest {

    private Api api() {
        return new Api(port);
    }

    private static Map<String, Object> config(Map<String, Object> privacy, String sampler, String weighting) {
        Map<String, Object> config = FederationFixture.config(4, 5, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", weighting)));
        config.put("schedule", Map.of("rounds", 5, "minClients", 4, "sampler", sampler, "clientFraction", 0.5));
        config.put("privacy", privacy);
        return config;
    }

    private static Map<String, Object> privacy(Object... overrides) {
        Map<String, Object> privacy = new HashMap<>(Map.of("noiseMultiplier", 1.0, "clipNorm", 1.0, "delta", 1e-5));
        for (int i = 0; i < overrides.length; i += 2) {
            privacy.put((String) overrides[i], overrides[i + 1]);
        }
        return privacy;
    }

    private int federations() {
        return api().get("/api/v1/admin/federations", ADMIN).json().size();
    }

    private void refused(Map<String, Object> config, String detailStart) {
        int before = federations();
        Api.Reply r = api().post("/api/v1/admin/federations", ADMIN, config);
        assertEquals(400, r.status(), () -> new String(r.bytes()));
        assertEquals("invalid-request", r.json().get("reason").asString());
        assertTrue(r.json().get("detail").asString().startsWith(detailStart), r.json().toString());
        assertEquals(before, federations(), "nothing is created");
    }

    @Test
    void everyInvalidPrivacyParameterIsRefusedNamingItsField() {
        refused(config(privacy("noiseMultiplier", -1.0), "poisson", "uniform"), "privacy.noiseMultiplier");
        refused(config(privacy("clipNorm", 0.0), "poisson", "uniform"), "privacy.clipNorm");
        refused(config(privacy("samplingRate", 1.5), "poisson", "uniform"), "privacy.samplingRate");
        refused(config(privacy("delta", 1.0), "poisson", "uniform"), "privacy.delta");
        refused(config(privacy("delta", 0.3), "poisson", "uniform"), "privacy.delta 0.3 must be below 1/N = 1/4");
        refused(config(privacy("epsilon", -1.0), "poisson", "uniform"), "privacy.epsilon");
        refused(config(privacy("targetEpsilon", 2.0), "poisson", "uniform"), "privacy: give exactly one");
        refused(config(privacy("targetQuantile", 0.5), "poisson", "uniform"), "privacy.adaptiveClipping");
        refused(config(privacy("adaptiveClipping", true, "targetQuantile", 2.0), "poisson", "uniform"),
                "privacy.targetQuantile");
        refused(config(privacy("denominator", "random"), "poisson", "uniform"), "privacy.denominator");
        refused(config(privacy(), "uniform", "uniform"), "schedule.sampler");
        refused(config(privacy(), "poisson", "samples"), "strategy.params.weighting");
    }

    @Test
    void aTargetEpsilonIsPlannedAndStoredWithTheFederationsRounds() {
        Map<String, Object> privacy = new HashMap<>(Map.of("targetEpsilon", 3.0, "clipNorm", 1.0, "delta", 1e-5));
        Api.Reply r = api().post("/api/v1/admin/federations", ADMIN, config(privacy, "poisson", "uniform"));
        assertEquals(201, r.status(), () -> new String(r.bytes()));
        assertEquals(3.0, r.json().get("config").get("privacy").get("targetEpsilon").asDouble());
    }

    @Test
    void thePlannerAnswersTheNoiseMultiplierForATarget() {
        Api.Reply r = api().post("/api/v1/admin/privacy/plan", ADMIN, Map.of("targetEpsilon", 2.0, "delta", 1e-5,
                "rounds", 1000, "samplingRate", 0.01));
        assertEquals(200, r.status(), () -> new String(r.bytes()));
        NoiseMultiplierPlanner planner = new NoiseMultiplierPlanner();
        double sigma = planner.noiseMultiplier(0.01, 1000, 2.0, 1e-5);
        assertEquals(sigma, r.json().get("noiseMultiplier").asDouble());
        assertEquals(planner.epsilon(0.01, sigma, 1000, 1e-5), r.json().get("epsilon").asDouble());
        assertTrue(r.json().get("epsilon").asDouble() <= 2.0);
        Api.Reply bad = api().post("/api/v1/admin/privacy/plan", ADMIN, Map.of("targetEpsilon", 2.0, "delta", 1e-5,
                "rounds", 1000, "samplingRate", 0.0));
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("detail").asString().startsWith("samplingRate must be in"), bad.json().toString());
        Api.Reply missing = api().post("/api/v1/admin/privacy/plan", ADMIN, Map.of("targetEpsilon", 2.0));
        assertEquals(400, missing.status());
        assertEquals("invalid-field", missing.reason());
        assertEquals("delta", missing.json().get("field").asString(), missing.json().toString());
        assertTrue(missing.json().get("detail").asString().startsWith("delta: is required"),
                missing.json().toString());
    }

    @Test
    void adaptiveClippingMovesTheClipThatTheNextRoundsPlansCarry() {
        Map<String, Object> config = config(Map.of("noiseMultiplier", 0.5, "adaptiveClipping", true,
                "clippedCountStddev", 1.0, "delta", 1e-5), "poisson", "uniform");
        config.put("schedule", Map.of("rounds", 2, "minClients", 4, "sampler", "poisson", "clientFraction", 1.0,
                "quorumFraction", 1.0));
        FederationFixture f = new FederationFixture(api(), 4, config);
        f.start();
        orchestrator.tick();
        for (int i = 0; i < 4; i++) {
            JsonNode assignment = f.assignment(f.clients.get(i)).json();
            assertEquals(0.1, assignment.get("plan").get("update").get("clipNorm").asDouble(), "TFF's initial clip");
            // Every client reports its update within the clip: b_i = 1.
            byte[] body = Safetensors.write(FederationFixture.randomDelta(i), Map.of("num_samples", "10",
                    "unclipped", "1.0"));
            assertEquals(202, api().put("/api/v1/client/rounds/" + assignment.get("roundId").asString() + "/update",
                    f.clients.get(i).credential(), body, "a" + i).status());
        }
        orchestrator.tick();
        JsonNode first = f.rounds().getFirst();
        assertEquals("CLOSED", first.get("state").asString(), first.toString());
        JsonNode metrics = first.get("metrics");
        assertEquals(0.1, metrics.get("dp.clip").asDouble());
        double fraction = metrics.get("dp.unclipped_fraction").asDouble();
        assertTrue(fraction >= 0 && fraction <= 1, metrics.toString());
        assertTrue(first.get("epsilonSpent").asDouble() > 0, first.toString());
        orchestrator.tick();
        double next = f.assignment(f.clients.get(0)).json().get("plan").get("update").get("clipNorm").asDouble();
        assertEquals(0.1 * Math.exp(-0.2 * (fraction - 0.5)), next, 1e-15, "the geometric update of the clip");
    }
}
