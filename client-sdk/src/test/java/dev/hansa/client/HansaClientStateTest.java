package dev.hansa.client;

import static dev.hansa.client.FakeServerReplies.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.state.ClientState;
import dev.hansa.client.state.ClientStateStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-held strategy state advances exactly when the server counts the update that goes with it: kept when the
 * round closed with the update, dropped when the round failed, and never lost to a restart in between.
 */
class HansaClientStateTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {2}));
    private static final byte[] MODEL = Safetensors.write(new Tensors(SPEC, new float[] {1, 2}), Map.of());
    private static final String HASH = ContentHash.of(MODEL);

    @TempDir
    Path dir;
    private HttpServer server;
    /** Rounds the fake server assigns, in order; FINISHED when empty. An accepted upload moves to the next. */
    private final Deque<String> assignments = new ArrayDeque<>();
    /** The outcome the poll reports for a pending round: CLOSED-counted, FAILED, ... (OPEN when absent). */
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    /** The pending rounds the client asked about, in order. */
    private final List<String> outcomeQueries = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", ex -> reply(ex, 201,
                "{\"clientId\":\"c1\",\"federationId\":\"f1\",\"credential\":\"hc_secret\"}"));
        server.createContext("/api/v1/client/heartbeat", ex -> reply(ex, 200, "{}"));
        server.createContext("/api/v1/client/assignment", ex -> {
            String query = ex.getRequestURI().getQuery();
            String pending = query.contains("pendingRound=") ? query.substring(query.indexOf("pendingRound=") + 13) : null;
            String outcome = "";
            if (pending != null) {
                outcomeQueries.add(pending);
                String o = outcomes.getOrDefault(pending, "OPEN");
                outcome = ",\"pendingRound\":{\"roundId\":\"" + pending + "\",\"state\":\"" + o.replace("-counted", "")
                        + "\",\"counted\":" + o.endsWith("-counted") + "}";
            }
            String round = assignments.peekFirst();
            reply(ex, 200, round == null ? "{\"state\":\"FINISHED\"" + outcome + "}" : "{\"state\":\"ASSIGNED\",\"roundId\":\""
                    + round + "\",\"round\":1,\"attempt\":1,\"modelHash\":\"" + HASH + "\",\"broadcastHash\":null,"
                    + "\"plan\":{\"strategy\":\"fedspeed\",\"role\":\"train\",\"localEpochs\":1,\"localSteps\":0,"
                    + "\"batchSize\":1,\"learningRate\":0.1,\"seed\":5,\"params\":{}}" + outcome + "}");
        });
        server.createContext("/api/v1/client/tensors/", ex -> {
            ex.sendResponseHeaders(200, MODEL.length);
            ex.getResponseBody().write(MODEL);
            ex.close();
        });
        server.createContext("/api/v1/client/rounds/", ex -> {
            ex.getRequestBody().readAllBytes();
            assignments.removeFirst();
            reply(ex, 202, "{\"state\":\"ACCEPTED\"}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Counts its participations in its state, like a client-held sum, and remembers the state it was given. */
    private static final class CountingTrainer implements LocalTrainer {
        final List<Double> given = new ArrayList<>();

        @Override
        public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State s) {
            double count = s.scalar("count", 0);
            given.add(count);
            return new LocalResult(Tensors.zeros(global.spec()), 1, Map.of(),
                    new State(Map.of(), Map.of("count", count + 1)));
        }

        @Override
        public long numSamples() {
            return 1;
        }
    }

    private HansaClient client(LocalTrainer trainer, String token) {
        var config = new HansaClientConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), token, dir,
                "t", Map.of(), Duration.ZERO, Duration.ofSeconds(5), 2, Duration.ofMillis(1), Duration.ofMillis(10));
        return new HansaClient(config, trainer, d -> { });
    }

    private double committedCount() {
        return new ClientStateStore(dir).state("f1").strategy().scalar("count", 0);
    }

    @Test
    void aCountedRoundAdvancesTheStateAndAFailedOneDoesNot() throws Exception {
        assignments.addAll(List.of("r1", "r2", "r3"));
        outcomes.put("r1", "CLOSED-counted");
        outcomes.put("r2", "FAILED");
        outcomes.put("r3", "CLOSED-counted");
        CountingTrainer trainer = new CountingTrainer();
        try (HansaClient c = client(trainer, "he_token")) {
            c.run();
        }
        // r1 counted: r2 trains from count 1; r2 failed: r3 trains from count 1 again; r3 counted: 2 at the end.
        assertEquals(List.of(0.0, 1.0, 1.0), trainer.given);
        assertEquals(2.0, committedCount());
        assertTrue(new ClientStateStore(dir).pendingState("f1").isEmpty());
        assertEquals(List.of("r1", "r2", "r3"), outcomeQueries, "each round is resolved once, the last at FINISHED");
    }

    @Test
    void anAcceptedUploadSurvivesARestartAsPendingUntilItsRoundCloses() throws Exception {
        assignments.addAll(List.of("r1", "r2"));
        try (HansaClient c = client(new CountingTrainer(), "he_token")) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
        }
        assertEquals(0.0, committedCount(), "r1 has not closed yet");
        assertEquals(Optional.of("r1"), new ClientStateStore(dir).pendingState("f1").map(ClientStateStore.PendingState::roundId));

        outcomes.put("r1", "CLOSED-counted");
        CountingTrainer afterRestart = new CountingTrainer();
        try (HansaClient c = client(afterRestart, null)) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
        }
        assertEquals(List.of(1.0), afterRestart.given, "the restarted client trains r2 from r1's state");
    }

    @Test
    void theStoreKeepsOnePendingStatePerFederation() {
        ClientStateStore store = new ClientStateStore(dir);
        store.savePendingState("f1", "r1", new ClientState(new State(Map.of(), Map.of("count", 1.0)), State.EMPTY));
        store.savePendingState("f1", "r2", new ClientState(new State(Map.of(), Map.of("count", 2.0)), State.EMPTY));
        store.savePendingState("f2", "r9", ClientState.EMPTY);
        ClientStateStore.PendingState pending = store.pendingState("f1").orElseThrow();
        assertEquals("r2", pending.roundId());
        assertEquals(2.0, pending.state().strategy().scalar("count", 0));
        store.commitPendingState("f1");
        assertEquals(2.0, committedCount());
        assertTrue(store.pendingState("f1").isEmpty());
        assertEquals(Optional.of("r9"), store.pendingState("f2").map(ClientStateStore.PendingState::roundId));
    }

    @Test
    void aRoundThatDidNotCountTheUpdateLeavesTheStateAsBefore() throws Exception {
        assignments.addAll(List.of("r1"));
        outcomes.put("r1", "CLOSED"); // closed, but this client's update was late or refused
        try (HansaClient c = client(new CountingTrainer(), "he_token")) {
            c.run();
        }
        assertEquals(0.0, committedCount());
        assertTrue(new ClientStateStore(dir).pendingState("f1").isEmpty());
    }
}
