package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.accounting.TreeAccountant;
import dev.hansa.privacy.accounting.TreeAggregationEvent;
import dev.hansa.server.round.RoundOrchestrator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A DP-FTRL federation over HTTP, across a restart on one data directory: each round takes the clients the
 * participation limit admits (once per tree here, read back from the stored rounds after the restart), every closed
 * round is in the privacy ledger with its tree and leaf and the epsilon of the trees so far, and the budget finishes
 * the federation instead of opening the round that would pass it. Bad DP-FTRL settings answer 400 naming the field.
 */
class DpFtrlLedgerTest {

    private static final double DELTA = 1e-5;

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(HansaServerApplication.class).run(
                "--hansa.database-dir=" + dir.resolve("pg"), "--server.port=0", "--hansa.tick=1h",
                "--hansa.admin-token=" + ADMIN, "--hansa.admin.password=" + FederationFixture.ADMIN_PASSWORD,
                "--logging.level.root=WARN", "--spring.main.banner-mode=off");
    }

    private static Api api(ConfigurableApplicationContext server) {
        return new Api(server.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    private static Map<String, Object> config(Map<String, Object> privacy) {
        Map<String, Object> config = FederationFixture.config(4, 5, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        config.put("schedule", Map.of("rounds", 5, "minClients", 2, "maxClients", 4, "sampler", "uniform",
                "clientFraction", 1.0, "roundDeadlineSeconds", 60, "quorumFraction", 1.0, "maxAttempts", 2));
        config.put("privacy", privacy);
        return config;
    }

    /** Waits for round {@code number} to open with two clients, who upload; returns them once it closed. */
    private static Set<String> playRound(Api api, FederationFixture f, int number) throws InterruptedException {
        Set<String> assigned = new HashSet<>();
        Eventually.await("round " + number + " open", Duration.ofSeconds(30), () -> {
            assigned.clear();
            for (FederationFixture.Client c : f.clients) {
                if (f.assignment(c).json().get("state").asString().equals("ASSIGNED")) {
                    assigned.add(c.id());
                }
            }
            return assigned.size() == 2;
        });
        int i = 0;
        for (FederationFixture.Client c : f.clients) {
            if (assigned.contains(c.id())) {
                String round = f.roundIdOf(c);
                assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", c.credential(),
                        upload(randomDelta(100L * number + i++), 10), "k" + number + "-" + c.id()).status());
            }
        }
        Eventually.await("round " + number + " closed", Duration.ofSeconds(30), () -> f.rounds().stream()
                .anyMatch(r -> r.get("number").asInt() == number && r.get("state").asString().equals("CLOSED")));
        return assigned;
    }

    private static double epsilonOf(FederationFixture f, int number) {
        JsonNode round = f.rounds().stream().filter(r -> r.get("number").asInt() == number
                && r.get("state").asString().equals("CLOSED")).findFirst().orElseThrow();
        assertEquals(DELTA, round.get("epsilonDelta").asDouble());
        return round.get("epsilonSpent").asDouble();
    }

    @Test
    void participationLedgerAndBudgetSurviveARestart() throws Exception {
        // Trees of 2 rounds, each client at most once per tree, 2 of 4 clients per round. Round r's epsilon: trees
        // of 1; 2; 2+1; 2+2 leaves, each of depth floor(log2 leaves) + 1. A budget between rounds 3 and 4 admits 3.
        double[] expected = new double[5];
        long[][] trees = {{}, {1}, {2}, {2, 1}, {2, 2}};
        for (int r = 1; r <= 4; r++) {
            TreeAccountant a = TreeAccountant.empty();
            for (long leaves : trees[r]) {
                a = a.compose(TreeAggregationEvent.once(1.0, leaves));
            }
            expected[r] = a.epsilon(DELTA);
        }
        assertTrue(expected[3] < expected[4]);
        double budget = (expected[3] + expected[4]) / 2;
        Map<String, Object> privacy = Map.of("mechanism", "dp-ftrl", "noiseMultiplier", 1.0, "clipNorm", 1.0,
                "delta", DELTA, "clientsPerRound", 2, "restartEvery", 2, "epsilon", budget);

        String federationId;
        List<FederationFixture.Client> clients;
        Set<String> first;
        try (ConfigurableApplicationContext server = start()) {
            Api api = api(server);
            FederationFixture f = new FederationFixture(api, 4, config(privacy));
            federationId = f.federationId;
            clients = List.copyOf(f.clients);
            JsonNode stored = api.get("/api/v1/admin/federations/" + federationId, ADMIN).json();
            assertEquals("dp-ftrl", stored.get("config").get("privacy").get("mechanism").asString());
            f.start();
            first = playRound(api, f, 1);
            assertEquals(expected[1], epsilonOf(f, 1), 1e-9);
        }

        try (ConfigurableApplicationContext server = start()) {
            Api api = api(server);
            FederationFixture f = FederationFixture.existing(api, federationId, clients);
            for (FederationFixture.Client c : clients) {
                assertEquals(200, api.post("/api/v1/client/heartbeat", c.credential(), Map.of()).status());
            }
            RoundOrchestrator orchestrator = server.getBean(RoundOrchestrator.class);
            Eventually.await("the restarted server opens round 2", Duration.ofSeconds(30), () -> {
                orchestrator.tick();
                return f.rounds().size() == 2;
            });
            Set<String> second = playRound(api, f, 2);
            assertTrue(second.stream().noneMatch(first::contains), "once per tree: " + first + " then " + second);
            playRound(api, f, 3);
            Eventually.await("the budget finishes the federation", Duration.ofSeconds(30),
                    () -> f.status().equals("FINISHED"));
            for (int r = 1; r <= 3; r++) {
                assertEquals(expected[r], epsilonOf(f, r), 1e-9, "round " + r);
            }
            JsonNode federation = api.get("/api/v1/admin/federations/" + federationId, ADMIN).json();
            assertTrue(federation.get("failureReason").asString().startsWith("privacy budget: one more round would "
                    + "spend epsilon"), federation.toString());
            assertFalse(federation.toString().contains("secret"), "the noise secret never leaves the database");
            assertEquals(3, f.rounds().size(), "no fourth round was opened");

            JdbcClient jdbc = server.getBean(JdbcClient.class);
            List<Map<String, Object>> ledger = jdbc.sql("""
                    SELECT mechanism, sampling_rate, noise_multiplier, clip_norm, tree, leaf, max_participations,
                           min_separation, epsilon_pld FROM privacy_ledger WHERE federation_id = CAST(:f AS uuid)
                    ORDER BY round_number
                    """).param("f", federationId).query().listOfRows();
            int[][] positions = {{1, 1}, {1, 2}, {2, 1}};
            assertEquals(3, ledger.size());
            for (int r = 0; r < 3; r++) {
                Map<String, Object> row = ledger.get(r);
                assertEquals("tree_aggregation", row.get("mechanism"));
                assertNull(row.get("sampling_rate"), "no sampling");
                assertEquals(1.0, row.get("noise_multiplier"));
                assertEquals(1.0, row.get("clip_norm"));
                assertEquals(positions[r][0], row.get("tree"));
                assertEquals((long) positions[r][1], row.get("leaf"));
                assertEquals(1, row.get("max_participations"));
                assertEquals(0, row.get("min_separation"));
                assertNull(row.get("epsilon_pld"), "no PLD accountant for trees: the filler leaves it empty");
            }
            byte[] secret = jdbc.sql("SELECT secret FROM privacy_tree_secrets WHERE federation_id = CAST(:f AS uuid)")
                    .param("f", federationId).query(byte[].class).single();
            assertEquals(32, secret.length);
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheFieldAndNothingIsCreated() {
        try (ConfigurableApplicationContext server = start()) {
            Api api = api(server);
            Map<String, Object> valid = Map.of("mechanism", "dp-ftrl", "noiseMultiplier", 1.0, "clipNorm", 1.0,
                    "delta", DELTA, "clientsPerRound", 2);
            Object[][] cases = {
                {"noiseMultiplier", 0.0, "privacy.noiseMultiplier", "invalid-request"},
                {"clientsPerRound", 1, "privacy.clientsPerRound", "invalid-request"},
                {"restartWarmup", 3, "privacy.restartWarmup", "invalid-request"},
                {"tree", "dense", "privacy.tree", "invalid-request"},
                {"maxParticipations", 0, "privacy.maxParticipations", "invalid-request"},
                {"samplingRate", 0.5, "privacy: unknown field", "unknown-field"},
                {"mechanism", "dp-sgd", "privacy.mechanism", "invalid-request"},
            };
            for (Object[] c : cases) {
                Map<String, Object> privacy = new HashMap<>(valid);
                privacy.put((String) c[0], c[1]);
                Api.Reply r = api.post("/api/v1/admin/federations", ADMIN, config(privacy));
                assertEquals(400, r.status(), () -> new String(r.bytes()));
                assertEquals(c[3], r.json().get("reason").asString(), r.json().toString());
                assertTrue(r.json().get("detail").asString().startsWith((String) c[2]), r.json().toString());
            }
            Map<String, Object> poisson = config(valid);
            poisson.put("schedule", Map.of("rounds", 5, "minClients", 2, "sampler", "poisson", "clientFraction", 0.5));
            Api.Reply r = api.post("/api/v1/admin/federations", ADMIN, poisson);
            assertEquals(400, r.status());
            assertTrue(r.json().get("detail").asString().startsWith("schedule.sampler"), r.json().toString());
            assertEquals(0, api.get("/api/v1/admin/federations", ADMIN).json().size(), "nothing is created");
        }
    }
}
