package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.lgreco.LGreCoPlanning;
import dev.hansa.client.BuiltInTrainer;
import dev.hansa.client.HansaClient;
import dev.hansa.client.HansaClientConfig;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.SyntheticDataset;
import dev.hansa.client.simulation.SimulationRunner;
import dev.hansa.client.state.ClientStateStore;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.JavaBackend;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The promise that the same algorithm runs in simulation and in production: for every registered strategy, real
 * {@link HansaClient}s training over HTTP against the server (embedded PostgreSQL) end with the same model, bit for
 * bit, as the {@link SimulationRunner} with the same client ids, data, seeds and configuration, and the same server
 * and client strategy state (FedSpeed's h_i and running sum, FedAMD's anchor gradients, bullseye and count).
 *
 * <p>Bit-identity needs one thing the protocol leaves open: the server folds updates in arrival order, the runner in
 * participant order, and double sums depend on their order. The test therefore steps the participants one after
 * another in participant order; with concurrent clients the two agree up to the rounding of that order.
 */
class HttpSimulationEquivalenceTest extends EmbeddedServerTest {

    private static final int CLIENTS = 4;
    private static final int PER_ROUND = 3;
    private static final int ROUNDS = 4;
    private static final long FEDERATION_SEED = 7;
    private static final long MODEL_SEED = 5;
    private static final Map<String, Object> MODEL_PARAMS = Map.of("inputSize", SyntheticDataset.FEATURES,
            "hiddenLayers", List.of(6), "numClasses", SyntheticDataset.CLASSES);
    /** Synthetic's 60 features as one 6 x 10 image: a 3 x 3 conv block of 3 channels, then a dense head of 4. */
    private static final Map<String, Object> CNN_PARAMS = Map.of("inputChannels", 1, "inputHeight", 6,
            "inputWidth", 10, "convChannels", List.of(3), "kernelSize", 3, "hiddenLayers", List.of(4),
            "numClasses", SyntheticDataset.CLASSES);
    private static final Map<String, Object> TRAINING = Map.of("learningRate", 0.05, "batchSize", 8, "localSteps", 4);
    /** Non-default values where the default would hide the strategy's client-side term. */
    private static final Map<String, Map<String, Object>> PARAMS = Map.of(
            "fedprox", Map.of("mu", 0.5),
            "fedamd", Map.of("anchorProbability", 0.5),
            "diff2", Map.of("restartPeriod", 2, "serverLearningRate", 0.5));
    /** Update sections where the default would not fit this server's 64 KB uploads (fetchsgd's 5 x 10,000 table). */
    private static final Map<String, Map<String, Object>> UPDATES = Map.of(
            "fetchsgd", Map.of("params", Map.of("columns", 256)));

    @TempDir
    Path stateDirs;

    /**
     * A federation to run both ways: a strategy with its params, and the update, robustness and sampler settings.
     */
    record Case(String strategy, Map<String, Object> params, Map<String, Object> update,
                Map<String, Object> robustness, String sampler, Map<String, Object> training, String architecture,
                Map<String, Object> modelParams) {

        Case(String strategy, Map<String, Object> params, Map<String, Object> update, Map<String, Object> robustness,
             String sampler, Map<String, Object> training) {
            this(strategy, params, update, robustness, sampler, training, "mlp", MODEL_PARAMS);
        }

        Case(String strategy, Map<String, Object> params, Map<String, Object> update, Map<String, Object> robustness,
             String sampler) {
            this(strategy, params, update, robustness, sampler, TRAINING);
        }

        @Override
        public String toString() {
            return strategy + (update.isEmpty() && robustness.isEmpty() && sampler.equals(Samplers.UNIFORM)
                    && training.equals(TRAINING) ? "" : " " + update + " " + robustness + " " + sampler
                    + (training.equals(TRAINING) ? "" : " " + training.get("params")))
                    + (architecture.equals("mlp") ? "" : " " + architecture);
        }
    }

    static Stream<Case> cases() {
        Stream<Case> strategies = Strategies.names().stream()
                .map(s -> new Case(s, PARAMS.getOrDefault(s, Map.of()), UPDATES.getOrDefault(s, Map.of()), Map.of(),
                        Samplers.UNIFORM));
        Stream<Case> pipelines = Stream.of(
                new Case("fedavg", Map.of(), Map.of(), Map.of(), Samplers.POISSON),
                new Case("fedavg", Map.of(), Map.of(), Map.of(), Samplers.BERNOULLI),
                new Case("fedspeed", Map.of(), Map.of("codec", "bf16", "errorFeedback", true, "clipNorm", 0.05),
                        Map.of(), Samplers.UNIFORM),
                // Sparse codecs: top-k's frames choose their index coding per update; rand-k's indices come from
                // each participant's plan seed on both sides.
                new Case("fedavg", Map.of(), Map.of("codec", "topk", "k", 0.1, "errorFeedback", true), Map.of(),
                        Samplers.UNIFORM),
                new Case("fedavg", Map.of(), Map.of("codec", "randk", "k", 0.1, "errorFeedback", true), Map.of(),
                        Samplers.UNIFORM),
                // L-GreCo: the clients' error reports travel as metrics, the plan made after round 2 lives in the
                // server state, and rounds 3 and 4 send the per-tensor densities in the plan JSON.
                new Case("fedavg", Map.of(), Map.of("codec", "topk", "k", 0.1, "errorFeedback", true,
                        "lgreco", Map.of("every", 2)), Map.of(), Samplers.UNIFORM),
                // L-GreCo on qsgd's levels: the per-tensor code widths in the frames, rounded on each
                // participant's seed, decode on the server as in the simulation.
                new Case("fedavg", Map.of(), Map.of("codec", "qsgd", "params", Map.of("levels", 3, "bucket", 64),
                        "lgreco", Map.of("every", 2)), Map.of(), Samplers.UNIFORM),
                // Codec parameters travel in the plan; qsgd rounds on each participant's seed on both sides.
                new Case("fedavg", Map.of(), Map.of("codec", "qsgd", "params", Map.of("levels", 4, "bucket", 64),
                        "errorFeedback", true), Map.of(), Samplers.UNIFORM),
                // Streaming DiLoCo's rounds upload one fragment (update.tensors) through the plan's codec, here
                // the paper's 4-bit floats, and its clients keep their own weights in their state. SparseLoCo's
                // compression comes with the preset.
                new Case("streamingdiloco", Map.of(), Map.of("codec", "e3m0"), Map.of(), Samplers.UNIFORM),
                // FetchSGD: the round sums sketch tables; momentum and error live in sketch space in the state.
                new Case("fetchsgd", Map.of("k", 0.1, "errorReset", "subtract"), Map.of("params",
                        Map.of("rows", 3, "columns", 64, "hashSeed", 11)), Map.of(), Samplers.UNIFORM),
                // EF21's estimate lives in the client state and, on the server, in the strategy state.
                new Case("fedavg", Map.of(), Map.of("codec", "sign", "errorFeedback", true,
                        "errorFeedbackRule", "ef21"), Map.of(), Samplers.UNIFORM),
                new Case("fedavg", Map.of(), Map.of(), Map.of("aggregator", "median",
                        "preAggregators", List.of(Map.of("name", "bucketing", "bucketSize", 2))), Samplers.UNIFORM),
                // The server reads whole-round rows from its round file: the median's column blocks, and the one
                // combination a mean after bucketing takes.
                new Case("fedavg", Map.of(), Map.of(), Map.of("aggregator", "median"), Samplers.UNIFORM),
                new Case("fedavg", Map.of(), Map.of(), Map.of("aggregator", "mean",
                        "preAggregators", List.of(Map.of("name", "bucketing", "bucketSize", 2))), Samplers.UNIFORM),
                // Worker momentum lives in the client state across rounds; the distance-based rules read the rows'
                // Gram matrix from the round file.
                new Case("fedavg", Map.of(), Map.of(), Map.of("aggregator", "krum", "preAggregators",
                        List.of(Map.of("name", "clipping", "c", 1.0), Map.of("name", "nnm"))), Samplers.UNIFORM,
                        withParams(Map.of("workerMomentum", 0.9))),
                // The CNN's blocks train the same on both sides (the trainer is the SDK's, the model file the
                // server's).
                new Case("fedavg", Map.of(), Map.of(), Map.of(), Samplers.UNIFORM, TRAINING, "cnn", CNN_PARAMS));
        return Stream.concat(strategies, pipelines);
    }

    private static Map<String, Object> withParams(Map<String, Object> params) {
        Map<String, Object> training = new LinkedHashMap<>(TRAINING);
        training.put("params", params);
        return training;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sdkClientsOverHttpEndWithTheSimulatedModelAndState(Case c) throws InterruptedException {
        String strategy = c.strategy();
        Map<String, Object> params = c.params();
        List<Dataset> data = SyntheticDataset.generate(1, 1, CLIENTS, false, 3).stream()
                .map(SyntheticDataset.UserData::train).toList();
        TrainableModel architecture = TrainableModels.create(c.architecture(), c.modelParams());
        String federation = createFederation(c);

        Map<String, HansaClient> clients = new LinkedHashMap<>();
        Map<String, Dataset> dataById = new LinkedHashMap<>();
        Map<String, Path> stateById = new LinkedHashMap<>();
        List<String> tokens = new ArrayList<>();
        api.post("/api/v1/admin/federations/" + federation + "/enrollment-tokens", ADMIN, Map.of("count", CLIENTS))
                .json().get("tokens").forEach(t -> tokens.add(t.asString()));
        for (int i = 0; i < CLIENTS; i++) {
            Path dir = stateDirs.resolve(strategy + "-" + i);
            var config = new HansaClientConfig(URI.create("http://127.0.0.1:" + port), tokens.get(i), dir, "c" + i,
                    Map.of(), Duration.ZERO, Duration.ofSeconds(10), 2, Duration.ofMillis(10), Duration.ofMillis(100));
            HansaClient client = new HansaClient(config, new BuiltInTrainer(architecture, data.get(i), null,
                    new JavaBackend()));
            assertEquals(HansaClient.StepResult.WAITING, client.step(), "enrolls and heartbeats before the start");
            String id = client.clientId().orElseThrow();
            clients.put(id, client);
            dataById.put(id, data.get(i));
            stateById.put(id, dir);
        }
        try {
            assertEquals(200, api.post("/api/v1/admin/federations/" + federation + "/start", ADMIN, null).status());
            Set<String> roles = new HashSet<>();
            for (int round = 1; round <= ROUNDS; round++) {
                String roundId = awaitOpenRound(federation, round);
                for (JsonNode p : api.get("/api/v1/admin/rounds/" + roundId + "/participants", ADMIN).json()) {
                    roles.add(p.get("plan").get("role").asString());
                    assertEquals(HansaClient.StepResult.TRAINED, clients.get(p.get("clientId").asString()).step());
                }
                orchestrator.tick();
            }
            for (HansaClient client : clients.values()) {
                assertEquals(HansaClient.StepResult.FINISHED, client.step());
            }
            if (strategy.equals("fedamd")) {
                assertEquals(Set.of("anchor", "miner"), roles, "the case must exercise both FedAMD roles");
            }
            if (strategy.equals("diff2")) {
                assertEquals(Set.of("gradient", "difference"), roles, "the case must exercise both DIFF2 roles");
            }
        } finally {
            clients.values().forEach(HansaClient::close);
        }

        RoundProtocol simulated = RoundConfig.configure(strategy, params, c.training(), c.update(), c.robustness(),
                new RoundConfig.Sampling(c.sampler(), (double) PER_ROUND / CLIENTS, PER_ROUND, PER_ROUND)).protocol();
        Tensors initial = architecture.initialize(MODEL_SEED);
        assertArrayEquals(initial.values(), modelVersion(federation, 0).values(), "same initial model");
        SimulationRunner.Result expected = new SimulationRunner(architecture, dataById, data.getFirst(), new JavaBackend(),
                simulated, new SimulationRunner.Settings(ROUNDS, FEDERATION_SEED, ROUNDS, 2)).run(initial, r -> { });

        assertArrayEquals(expected.model().values(), modelVersion(federation, ROUNDS).values(), strategy + ": model");
        assertStatesEqual(expected.serverState(), serverState(federation, ROUNDS), strategy + ": server state");
        if (c.update().containsKey("lgreco")) {
            assertEquals(4, expected.serverState().scalars().keySet().stream()
                    .filter(k -> k.startsWith(LGreCoPlanning.STATE_PREFIX)).count(),
                    "a plan for each of the 4 tensors");
        }
        for (var e : stateById.entrySet()) {
            State held = new ClientStateStore(e.getValue()).state(federation).strategy();
            assertStatesEqual(expected.clientStates().getOrDefault(e.getKey(), State.EMPTY), held,
                    strategy + ": state of client " + e.getKey());
        }
    }

    private String createFederation(Case c) {
        Api.Reply created = api.post("/api/v1/admin/federations", ADMIN, Map.of(
                "name", "equivalence " + c.strategy(),
                "model", Map.of("architecture", c.architecture(), "params", c.modelParams(), "seed", MODEL_SEED),
                "strategy", Map.of("name", c.strategy(), "params", c.params()),
                "training", c.training(),
                "update", c.update(),
                "robustness", c.robustness(),
                "schedule", Map.of("rounds", ROUNDS, "sampler", c.sampler(), "clientFraction", (double) PER_ROUND / CLIENTS,
                        "minClients", PER_ROUND, "maxClients", PER_ROUND, "roundDeadlineSeconds", 600,
                        "quorumFraction", 1.0),
                "seed", FEDERATION_SEED));
        assertEquals(201, created.status(), () -> new String(created.bytes()));
        return created.json().get("id").asString();
    }

    private String awaitOpenRound(String federation, int number) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            var open = jdbc.sql("SELECT id FROM rounds WHERE federation_id = :f AND number = :n AND state = 'OPEN'")
                    .param("f", UUID.fromString(federation)).param("n", number).query(UUID.class).optional();
            if (open.isPresent()) {
                return open.get().toString();
            }
            orchestrator.tick();
            Thread.sleep(20);
        }
        throw new AssertionError("round " + number + " of " + federation + " never opened");
    }

    private Tensors modelVersion(String federation, int version) {
        Api.Reply r = api.get("/api/v1/admin/federations/" + federation + "/models/" + version, ADMIN);
        assertEquals(200, r.status());
        return Safetensors.read(r.bytes()).tensors();
    }

    private State serverState(String federation, int version) {
        return StateCodec.decode(jdbc.sql(
                        "SELECT strategy_state FROM model_versions WHERE federation_id = :f AND version = :v")
                .param("f", UUID.fromString(federation)).param("v", version).query(byte[].class).single());
    }

    private static void assertStatesEqual(State expected, State actual, String what) {
        assertEquals(expected.scalars(), actual.scalars(), what + " scalars");
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet(), what + " tensors");
        expected.tensors().forEach((k, w) -> assertArrayEquals(w.values(), actual.tensors().get(k).values(), what + " " + k));
        assertTrue(expected.tensors().values().stream().allMatch(w -> w.firstNonFinite() < 0), what + " is finite");
    }
}
