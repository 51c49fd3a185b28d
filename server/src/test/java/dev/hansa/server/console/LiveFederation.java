package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.client.BuiltInTrainer;
import dev.hansa.client.HansaClient;
import dev.hansa.client.HansaClientConfig;
import dev.hansa.client.data.SyntheticDataset;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.JavaBackend;
import dev.hansa.server.Api;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A federation of real SDK clients on FedProx's Synthetic IID data, each with its own held-out split so that they
 * report test accuracy and loss. The test decides when each client takes a step, so it can look at a round while
 * it is open.
 */
final class LiveFederation implements AutoCloseable {

    private static final Map<String, Object> MODEL_PARAMS = Map.of("inputSize", SyntheticDataset.FEATURES,
            "hiddenLayers", List.of(16), "numClasses", SyntheticDataset.CLASSES);

    final String id;
    final List<HansaClient> clients = new ArrayList<>();

    /** Creates the federation through the admin API and enrolls {@code count} clients (not started). */
    LiveFederation(Api api, int port, Path stateDir, String name, int count, int rounds) throws InterruptedException {
        Api.Reply created = api.post("/api/v1/admin/federations", ADMIN, Map.of("name", name,
                "model", Map.of("architecture", "mlp", "params", MODEL_PARAMS, "seed", 3),
                "strategy", Map.of("name", "fedavg", "params", Map.of()),
                "training", Map.of("learningRate", 0.05, "batchSize", 32, "localEpochs", 1),
                "schedule", Map.of("rounds", rounds, "minClients", count, "maxClients", count,
                        "roundDeadlineSeconds", 600, "quorumFraction", 1.0),
                "seed", 5));
        assertEquals(201, created.status(), () -> new String(created.bytes()));
        id = created.json().get("id").asString();
        List<String> tokens = new ArrayList<>();
        api.post("/api/v1/admin/federations/" + id + "/enrollment-tokens", ADMIN, Map.of("count", count))
                .json().get("tokens").forEach(t -> tokens.add(t.asString()));
        TrainableModel mlp = TrainableModels.create("mlp", MODEL_PARAMS);
        List<SyntheticDataset.UserData> data = SyntheticDataset.generate(0, 0, count, true, 7);
        for (int i = 0; i < count; i++) {
            var config = new HansaClientConfig(URI.create("http://127.0.0.1:" + port), tokens.get(i),
                    stateDir.resolve(id).resolve("client-" + i), "site-" + i, Map.of("os", "test"), Duration.ZERO,
                    Duration.ofSeconds(10), 2, Duration.ofMillis(10), Duration.ofMillis(100));
            HansaClient client = new HansaClient(config, new BuiltInTrainer(mlp, data.get(i).train(),
                    data.get(i).test(), new JavaBackend()));
            assertEquals(HansaClient.StepResult.WAITING, client.step(), "enrolls and heartbeats");
            clients.add(client);
        }
    }

    /**
     * Ticks the orchestrator until round {@code number} is open (the previous round may still be closing after the
     * last upload's signal).
     */
    void awaitOpenRound(Api api, Runnable tick, int number) throws InterruptedException {
        for (int attempt = 0; attempt < 500; attempt++) {
            tick.run();
            for (var round : api.get("/api/v1/admin/federations/" + id + "/rounds", ADMIN).json()) {
                if (round.get("number").asInt() == number && "OPEN".equals(round.get("state").asString())) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("round " + number + " of " + id + " never opened");
    }

    /** Every client trains on its assignment and uploads. */
    void train() throws InterruptedException {
        for (HansaClient client : clients) {
            assertEquals(HansaClient.StepResult.TRAINED, client.step());
        }
    }

    @Override
    public void close() {
        clients.forEach(HansaClient::close);
    }
}
