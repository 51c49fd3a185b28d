package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.accounting.RdpAccountant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A DIFF2 federation with privacy over HTTP: invalid DIFF2 fields answer 400 naming the field and create nothing; the
 * plans alternate between gradient rounds (clip C1, no broadcast) and difference rounds (clip C2 times the last step,
 * the previous model as broadcast); the ledger records each round with its own multiplier and clip, and its epsilon
 * is the RDP composition of the two kinds of round.
 */
class Diff2PrivacyTest extends EmbeddedServerTest {

    private static final double Z1 = 1.2;
    private static final double Z2 = 2.5;
    private static final double C1 = 0.7;
    private static final double C2 = 3.0;

    private static Map<String, Object> config(Map<String, Object> strategyParams, Map<String, Object> privacy) {
        Map<String, Object> config = FederationFixture.config(4, 3, 60, 1.0, "diff2");
        config.put("strategy", Map.of("name", "diff2", "params", strategyParams));
        config.put("training", Map.of("batchSize", 8));
        config.put("schedule", Map.of("rounds", 3, "minClients", 4, "sampler", "poisson", "clientFraction", 1.0,
                "quorumFraction", 1.0));
        config.put("privacy", privacy);
        return config;
    }

    private static Map<String, Object> privacy(Object... overrides) {
        Map<String, Object> privacy = new HashMap<>(Map.of("noiseMultiplier", Z1, "differenceNoiseMultiplier", Z2,
                "clipNorm", C1, "differenceClipFactor", C2, "delta", 1e-5));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                privacy.remove((String) overrides[i]);
            } else {
                privacy.put((String) overrides[i], overrides[i + 1]);
            }
        }
        return privacy;
    }

    private void refused(Map<String, Object> config, String detailStart) {
        int before = api.get("/api/v1/admin/federations", ADMIN).json().size();
        Api.Reply r = api.post("/api/v1/admin/federations", ADMIN, config);
        assertEquals(400, r.status(), () -> new String(r.bytes()));
        assertEquals("invalid-request", r.json().get("reason").asString());
        assertTrue(r.json().get("detail").asString().startsWith(detailStart), r.json().toString());
        assertEquals(before, api.get("/api/v1/admin/federations", ADMIN).json().size(), "nothing is created");
    }

    @Test
    void invalidDiff2FieldsAreRefusedNamingTheField() {
        Map<String, Object> period = Map.of("restartPeriod", 2);
        refused(config(period, privacy("differenceClipFactor", null)), "privacy.differenceClipFactor is required");
        refused(config(period, privacy("differenceClipFactor", -1.0)), "privacy.differenceClipFactor");
        refused(config(period, privacy("differenceNoiseMultiplier", -1.0)), "privacy.differenceNoiseMultiplier");
        refused(config(period, privacy("adaptiveClipping", true)), "privacy.adaptiveClipping");
        refused(config(Map.of("restartPeriod", 0), privacy()), "strategy.params.restartPeriod");
        Map<String, Object> fedavg = config(period, privacy("differenceNoiseMultiplier", null));
        fedavg.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        refused(fedavg, "privacy.differenceClipFactor applies to strategy diff2 only");
    }

    @Test
    void eachRoundIsChargedItsOwnKindAndClip() {
        FederationFixture f = new FederationFixture(api, 4, config(Map.of("restartPeriod", 2), privacy()));
        f.start();
        double step = Double.NaN;
        for (int number = 1; number <= 3; number++) {
            orchestrator.tick();
            boolean restart = number != 2;
            for (int i = 0; i < 4; i++) {
                JsonNode assignment = f.assignment(f.clients.get(i)).json();
                JsonNode plan = assignment.get("plan");
                assertEquals(restart ? "gradient" : "difference", plan.get("role").asString(), "round " + number);
                assertEquals(restart ? C1 : C2 * step, plan.get("update").get("clipNorm").asDouble(), 1e-12);
                assertEquals(restart, assignment.get("broadcastHash").isNull(), "x_{r-2} goes with difference rounds");
                assertEquals(202, api.put("/api/v1/client/rounds/" + assignment.get("roundId").asString() + "/update",
                        f.clients.get(i).credential(), FederationFixture.upload(FederationFixture.randomDelta(
                                10L * number + i), 10), "u" + number + "-" + i).status());
            }
            orchestrator.tick();
            JsonNode round = f.rounds().get(number - 1);
            assertEquals("CLOSED", round.get("state").asString(), round.toString());
            step = round.get("metrics").get("diff2.step").asDouble();
            assertTrue(step > 0, round.toString());
        }
        List<Map<String, Object>> ledger = jdbc.sql("""
                SELECT noise_multiplier, clip_norm, epsilon_rdp FROM privacy_ledger
                WHERE federation_id = CAST(:f AS uuid) ORDER BY round_number
                """).param("f", f.federationId).query().listOfRows();
        assertEquals(3, ledger.size());
        RdpAccountant expected = RdpAccountant.empty();
        for (int r = 0; r < 3; r++) {
            double sigma = r == 1 ? Z2 : Z1;
            expected = expected.compose(1.0, sigma, 1);
            JsonNode round = f.rounds().get(r);
            assertEquals(sigma, ledger.get(r).get("noise_multiplier"));
            assertEquals(round.get("metrics").get("dp.clip").asDouble(), (Double) ledger.get(r).get("clip_norm"));
            assertEquals(expected.epsilon(1e-5), (Double) ledger.get(r).get("epsilon_rdp"), 1e-9);
            assertEquals(expected.epsilon(1e-5), round.get("epsilonSpent").asDouble(), 1e-9);
        }
    }
}
