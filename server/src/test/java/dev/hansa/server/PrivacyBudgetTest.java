package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.accounting.PldAccountant;
import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.server.round.RoundOrchestrator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A DP federation's privacy ledger and budget over HTTP, across a restart on one data directory (a new application
 * context and embedded PostgreSQL in this JVM): every closed round is recorded with its mechanism event and the
 * cumulative epsilon, which the rounds API shows; the restarted server continues the same ledger; the federation
 * finishes, with the reason recorded, instead of opening the round that would pass the budget. The PLD epsilon of
 * each round is filled in after the round commits, equals a {@link PldAccountant} over the same rounds, lies below
 * the RDP epsilon, and a restarted server fills the values its predecessor left missing.
 */
class PrivacyBudgetTest {

    private static final double DELTA = 1e-5;

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(HansaServerApplication.class).run(
                "--hansa.database-dir=" + dir.resolve("pg"), "--server.port=0", "--hansa.tick=1h", "--hansa.admin-token=" + ADMIN,
                "--hansa.admin.password=" + FederationFixture.ADMIN_PASSWORD, "--logging.level.root=WARN",
                "--spring.main.banner-mode=off");
    }

    private static Api api(ConfigurableApplicationContext server) {
        return new Api(server.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    /**
     * Waits for round {@code number} to open, every client uploads to it (q = 1: all take part), and waits until it
     * closed.
     */
    private static void playRound(Api api, FederationFixture f, int number) throws InterruptedException {
        Eventually.await("round " + number + " open", Duration.ofSeconds(30), () -> f.clients.stream()
                .allMatch(c -> f.assignment(c).json().get("state").asString().equals("ASSIGNED")));
        for (int i = 0; i < f.clients.size(); i++) {
            FederationFixture.Client c = f.clients.get(i);
            JsonNode assignment = f.assignment(c).json();
            assertEquals(1.0, assignment.get("plan").get("update").get("clipNorm").asDouble(), "told the clip");
            String round = assignment.get("roundId").asString();
            assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", c.credential(),
                    upload(randomDelta(100L * number + i), 10), "k" + number + "-" + i).status());
        }
        Eventually.await("round " + number + " closed", Duration.ofSeconds(30), () -> f.rounds().stream()
                .anyMatch(r -> r.get("number").asInt() == number && r.get("state").asString().equals("CLOSED")));
    }

    private static JsonNode closed(FederationFixture f, int number) {
        JsonNode round = f.rounds().stream().filter(r -> r.get("number").asInt() == number
                && r.get("state").asString().equals("CLOSED")).findFirst().orElseThrow();
        assertEquals(DELTA, round.get("epsilonDelta").asDouble());
        return round;
    }

    private static double epsilonOf(FederationFixture f, int number) {
        return closed(f, number).get("epsilonSpent").asDouble();
    }

    /** Waits until the rounds API shows the PLD epsilon of rounds 1 to {@code rounds} and checks each. */
    private static void awaitPld(FederationFixture f, int rounds, double[] expectedPld, double[] expectedRdp)
            throws InterruptedException {
        Eventually.await("PLD epsilons of rounds 1 to " + rounds, Duration.ofSeconds(60), () -> {
            for (int r = 1; r <= rounds; r++) {
                if (closed(f, r).get("epsilonPld").isNull()) {
                    return false;
                }
            }
            return true;
        });
        for (int r = 1; r <= rounds; r++) {
            double pld = closed(f, r).get("epsilonPld").asDouble();
            assertEquals(expectedPld[r], pld, 1e-12, "round " + r);
            assertTrue(pld < expectedRdp[r], "PLD " + pld + " below RDP " + expectedRdp[r] + " in round " + r);
        }
    }

    @Test
    void theLedgerSurvivesARestartAndTheBudgetFinishesTheFederationAtTheRightRound() throws Exception {
        // q = 1, z = 1.2, delta = 1e-5: a budget between the epsilon of 3 and of 4 rounds admits exactly 3.
        RdpAccountant accountant = RdpAccountant.empty();
        double[] expected = new double[5];
        double[] expectedPld = new double[5];
        for (int r = 1; r <= 4; r++) {
            accountant = accountant.compose(1.0, 1.2, 1);
            expected[r] = accountant.epsilon(DELTA);
            expectedPld[r] = PldAccountant.empty().compose(1.0, 1.2, r).epsilon(DELTA);
        }
        double budget = (expected[3] + expected[4]) / 2;
        Map<String, Object> config = FederationFixture.config(3, 10, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        @SuppressWarnings("unchecked")
        Map<String, Object> schedule = new HashMap<>((Map<String, Object>) config.get("schedule"));
        schedule.put("sampler", "poisson");
        schedule.put("clientFraction", 1.0);
        config.put("schedule", schedule);
        config.put("privacy", Map.of("noiseMultiplier", 1.2, "clipNorm", 1.0, "delta", DELTA, "epsilon", budget));

        String federationId;
        List<FederationFixture.Client> clients;
        try (ConfigurableApplicationContext server = start()) {
            Api api = api(server);
            FederationFixture f = new FederationFixture(api, 3, config);
            federationId = f.federationId;
            clients = List.copyOf(f.clients);
            f.start();
            playRound(api, f, 1);
            playRound(api, f, 2);
            assertEquals(expected[1], epsilonOf(f, 1), 1e-9);
            assertEquals(expected[2], epsilonOf(f, 2), 1e-9);
            awaitPld(f, 2, expectedPld, expected);
            // As if this server had been killed before filling round 2's: the restarted one must fill the gap.
            assertEquals(1, server.getBean(JdbcClient.class).sql("UPDATE privacy_ledger SET epsilon_pld = NULL "
                    + "WHERE federation_id = CAST(:f AS uuid) AND round_number = 2").param("f", federationId).update());
        }

        try (ConfigurableApplicationContext server = start()) {
            Api api = api(server);
            FederationFixture f = FederationFixture.existing(api, federationId, clients);
            for (FederationFixture.Client c : clients) {
                assertEquals(200, api.post("/api/v1/client/heartbeat", c.credential(), Map.of()).status());
            }
            RoundOrchestrator orchestrator = server.getBean(RoundOrchestrator.class);
            Eventually.await("the restarted server opens round 3", Duration.ofSeconds(30), () -> {
                orchestrator.tick();
                return f.assignment(clients.get(0)).json().get("state").asString().equals("ASSIGNED");
            });
            playRound(api, f, 3);
            Eventually.await("the budget finishes the federation", Duration.ofSeconds(30),
                    () -> f.status().equals("FINISHED"));
            assertEquals(expected[3], epsilonOf(f, 3), 1e-9);
            awaitPld(f, 3, expectedPld, expected);
            JsonNode federation = api.get("/api/v1/admin/federations/" + federationId, ADMIN).json();
            assertTrue(federation.get("failureReason").asString().startsWith("privacy budget: one more round would "
                    + "spend epsilon"), federation.toString());
            assertEquals(3, f.rounds().size(), "no fourth round was opened");
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            List<Map<String, Object>> ledger = jdbc.sql("""
                    SELECT round_number, mechanism, sampling_rate, noise_multiplier, steps, clip_norm, sampler, delta,
                           epsilon_pld, epsilon_rdp FROM privacy_ledger WHERE federation_id = CAST(:f AS uuid) ORDER BY round_number
                    """).param("f", federationId).query().listOfRows();
            assertEquals(3, ledger.size());
            for (int r = 0; r < 3; r++) {
                Map<String, Object> row = ledger.get(r);
                assertEquals(r + 1, row.get("round_number"));
                assertEquals("sampled_gaussian", row.get("mechanism"));
                assertEquals(1.0, row.get("sampling_rate"));
                assertEquals(1.2, row.get("noise_multiplier"));
                assertEquals(1, row.get("steps"));
                assertEquals(1.0, row.get("clip_norm"));
                assertEquals("poisson", row.get("sampler"));
                assertEquals(DELTA, row.get("delta"));
                assertEquals(expectedPld[r + 1], (Double) row.get("epsilon_pld"), 1e-12);
                assertEquals(expected[r + 1], (Double) row.get("epsilon_rdp"), 1e-9);
            }
        }
    }
}
