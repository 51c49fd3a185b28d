package dev.hansa.server.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.privacy.accounting.PldAccountant;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.Eventually;
import dev.hansa.server.FederationFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The PLD filler is idempotent: a run with nothing missing writes nothing, a run after values went missing writes
 * the same values again, and a value already present is never overwritten.
 */
class PldEpsilonFillerTest extends EmbeddedServerTest {

    private static final double DELTA = 1e-5;

    @Autowired
    PldEpsilonFiller filler;

    private List<Double> values(String federation) {
        return jdbc.sql("SELECT epsilon_pld FROM privacy_ledger WHERE federation_id = CAST(:f AS uuid) "
                + "ORDER BY round_number").param("f", federation).query(Double.class).list();
    }

    @Test
    void fillsOnlyWhatIsMissingAndAlwaysTheSameValue() throws InterruptedException {
        Map<String, Object> config = FederationFixture.config(3, 2, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        config.put("schedule", Map.of("rounds", 2, "minClients", 3, "sampler", "poisson", "clientFraction", 1.0,
                "quorumFraction", 1.0));
        config.put("privacy", new HashMap<>(Map.of("noiseMultiplier", 1.5, "clipNorm", 1.0, "delta", DELTA)));
        FederationFixture f = new FederationFixture(api, 3, config);
        f.start();
        for (int number = 1; number <= 2; number++) {
            orchestrator.tick();
            for (int i = 0; i < 3; i++) {
                JsonNode assignment = f.assignment(f.clients.get(i)).json();
                assertEquals(202, api.put("/api/v1/client/rounds/" + assignment.get("roundId").asString()
                        + "/update", f.clients.get(i).credential(), FederationFixture.upload(
                        FederationFixture.randomDelta(number * 10L + i), 10), "p" + number + i).status());
            }
            orchestrator.tick();
        }
        List<Double> expected = List.of(PldAccountant.empty().compose(1.0, 1.5, 1).epsilon(DELTA),
                PldAccountant.empty().compose(1.0, 1.5, 2).epsilon(DELTA));
        Eventually.await("both rounds' PLD epsilons", Duration.ofSeconds(60),
                () -> !values(f.federationId).contains(null));
        assertEquals(expected, values(f.federationId), "filled after the rounds committed");

        assertEquals(0, filler.fill(UUID.fromString(f.federationId)), "nothing missing, nothing written");
        jdbc.sql("UPDATE privacy_ledger SET epsilon_pld = NULL WHERE federation_id = CAST(:f AS uuid)")
                .param("f", f.federationId).update();
        filler.fill(UUID.fromString(f.federationId));
        assertEquals(expected, values(f.federationId), "the same values again");

        jdbc.sql("UPDATE privacy_ledger SET epsilon_pld = 123 WHERE federation_id = CAST(:f AS uuid) "
                + "AND round_number = 1").param("f", f.federationId).update();
        jdbc.sql("UPDATE privacy_ledger SET epsilon_pld = NULL WHERE federation_id = CAST(:f AS uuid) "
                + "AND round_number = 2").param("f", f.federationId).update();
        filler.fillAll();
        assertEquals(List.of(123.0, expected.get(1)), values(f.federationId), "a present value is left as it is");
    }
}
