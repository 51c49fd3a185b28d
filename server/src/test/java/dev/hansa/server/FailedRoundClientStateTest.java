package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.fedamd.FedAmd;
import dev.hansa.aggregation.strategy.fedamd.FedAmdClient;
import dev.hansa.aggregation.strategy.fedspeed.FedSpeed;
import dev.hansa.aggregation.strategy.fedspeed.FedSpeedClient;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.BuiltInTrainer;
import dev.hansa.client.HansaClient;
import dev.hansa.client.HansaClientConfig;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.SyntheticDataset;
import dev.hansa.client.state.ClientStateStore;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.JavaBackend;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round that fails after accepting some updates must leave the clients' strategy state and the server's in step:
 * the server drops the failed round's updates, so the clients that uploaded in it must drop the state they computed
 * with them. Checked through the invariants that tie the two sides: FedSpeed's running sum H equals the sum of the
 * clients' h_i, FedAMD's G equals the sum of the clients' anchor gradients and R counts the clients holding one.
 */
class FailedRoundClientStateTest extends EmbeddedServerTest {

    private static final int CLIENTS = 3;
    private static final Map<String, Object> MODEL_PARAMS = Map.of("inputSize", SyntheticDataset.FEATURES,
            "hiddenLayers", List.of(5), "numClasses", SyntheticDataset.CLASSES);

    @TempDir
    Path stateDirs;

    /** The federation's final server state and the states its clients hold, after a failed first attempt. */
    private record Outcome(State server, List<State> clients) {
    }

    @Test
    void fedSpeedRunningSumEqualsTheClientsCorrectionsAfterAFailedRound() throws InterruptedException {
        Outcome o = failFirstAttemptThenFinish("fedspeed");
        float[] sumH = o.server().tensor(FedSpeed.SUM_H).orElseThrow().values();
        assertEquals(CLIENTS, o.clients().size());
        assertSumsMatch(sumH, o.clients().stream().map(s -> s.tensor(FedSpeedClient.H).orElseThrow()).toList());
    }

    @Test
    void fedAmdAnchorSumAndCountMatchTheClientsAfterAFailedRound() throws InterruptedException {
        Outcome o = failFirstAttemptThenFinish("fedamd");
        List<Tensors> held = o.clients().stream().flatMap(s -> s.tensor(FedAmdClient.G).stream()).toList();
        assertEquals(CLIENTS, held.size(), "every client reported an anchor gradient in the retried round");
        assertEquals((double) held.size(), o.server().scalar(FedAmd.REPORTED, -1), "R counts the clients holding one");
        assertSumsMatch(o.server().tensor(FedAmd.SUM_G).orElseThrow().values(), held);
    }

    private static void assertSumsMatch(float[] serverSum, List<Tensors> clientVectors) {
        double largestGap = 0;
        double scale = 0;
        for (int i = 0; i < serverSum.length; i++) {
            double sum = 0;
            for (Tensors w : clientVectors) {
                sum += w.values()[i];
            }
            largestGap = Math.max(largestGap, Math.abs(sum - serverSum[i]));
            scale = Math.max(scale, Math.abs(sum));
        }
        assertTrue(scale > 1e-3, "the vectors are not trivially zero");
        // Both sides add the same float vectors, in different orders: they agree to float rounding.
        assertTrue(largestGap <= 1e-6 * Math.max(1, scale), "server sum and client sum differ by " + largestGap);
    }

    /**
     * Round 1, attempt 1: two of three clients upload (accepted), the third never does, the deadline passes and the
     * round fails. Attempt 2 and round 2 run with everyone; then every client learns that the federation finished.
     */
    private Outcome failFirstAttemptThenFinish(String strategy) throws InterruptedException {
        List<Dataset> data = SyntheticDataset.generate(1, 1, CLIENTS, false, 17).stream()
                .map(SyntheticDataset.UserData::train).toList();
        TrainableModel architecture = TrainableModels.create("mlp", MODEL_PARAMS);
        Api.Reply created = api.post("/api/v1/admin/federations", ADMIN, Map.of(
                "name", "failed round " + strategy,
                "model", Map.of("architecture", "mlp", "params", MODEL_PARAMS, "seed", 3),
                "strategy", Map.of("name", strategy, "params", Map.of()),
                "training", Map.of("learningRate", 0.05, "batchSize", 8, "localSteps", 3),
                "schedule", Map.of("rounds", 2, "minClients", CLIENTS, "maxClients", CLIENTS,
                        "roundDeadlineSeconds", 60, "quorumFraction", 1.0, "maxAttempts", 2),
                "seed", 9));
        assertEquals(201, created.status(), () -> new String(created.bytes()));
        String federation = created.json().get("id").asString();
        List<String> tokens = new ArrayList<>();
        api.post("/api/v1/admin/federations/" + federation + "/enrollment-tokens", ADMIN, Map.of("count", CLIENTS))
                .json().get("tokens").forEach(t -> tokens.add(t.asString()));
        List<HansaClient> clients = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Path dir = stateDirs.resolve(strategy + "-" + i);
                dirs.add(dir);
                clients.add(new HansaClient(new HansaClientConfig(URI.create("http://127.0.0.1:" + port),
                        tokens.get(i), dir, "c" + i, Map.of(), Duration.ZERO, Duration.ofSeconds(10), 2,
                        Duration.ofMillis(10), Duration.ofMillis(100)),
                        new BuiltInTrainer(architecture, data.get(i), null, new JavaBackend())));
                assertEquals(HansaClient.StepResult.WAITING, clients.get(i).step());
            }
            assertEquals(200, api.post("/api/v1/admin/federations/" + federation + "/start", ADMIN, null).status());
            orchestrator.tick();
            assertEquals(HansaClient.StepResult.TRAINED, clients.get(0).step());
            assertEquals(HansaClient.StepResult.TRAINED, clients.get(1).step());
            clock.advance(Duration.ofSeconds(61));
            orchestrator.tick();
            assertEquals("FAILED:2", jdbc.sql("SELECT state || ':' || accepted FROM rounds WHERE federation_id = :f "
                    + "AND number = 1 AND attempt = 1").param("f", UUID.fromString(federation)).query(String.class).single(),
                    "attempt 1 failed after accepting two updates");
            for (Path dir : dirs) { // the clients were idle past the live window
                api.post("/api/v1/client/heartbeat", new ClientStateStore(dir).credential().orElseThrow().secret(), Map.of());
            }
            for (int round = 1; round <= 2; round++) {
                orchestrator.tick();
                for (HansaClient c : clients) {
                    assertEquals(HansaClient.StepResult.TRAINED, c.step(), "round " + round);
                }
                orchestrator.tick();
            }
            for (HansaClient c : clients) {
                assertEquals(HansaClient.StepResult.FINISHED, c.step());
            }
        } finally {
            clients.forEach(HansaClient::close);
        }
        State server = StateCodec.decode(jdbc.sql("SELECT strategy_state FROM model_versions "
                        + "WHERE federation_id = :f ORDER BY version DESC LIMIT 1")
                .param("f", UUID.fromString(federation)).query(byte[].class).single());
        List<State> held = dirs.stream().map(d -> new ClientStateStore(d).state(federation).strategy()).toList();
        return new Outcome(server, held);
    }
}
