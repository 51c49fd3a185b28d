package dev.hansa.client;

import static dev.hansa.client.FakeServerReplies.reply;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.update.UpdateMetadata;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.privacy.LocalDpConfig;
import dev.hansa.client.privacy.LocalDpSgd;
import dev.hansa.client.privacy.LocalPrivacyAccount;
import dev.hansa.client.state.ClientStateStore;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.client.training.PerExampleClipping;
import dev.hansa.compute.JavaBackend;
import dev.hansa.privacy.accounting.RdpAccountant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client's local DP-SGD account lives in its state directory: a restarted client continues it, a spend is
 * never refunded (a refused upload still counts), a damaged account stops the client, and a client past its budget
 * asks for no more work. Epsilons are checked against the RDP accountant run by the test over the rounds trained.
 */
class HansaClientLocalPrivacyTest {

    private static final DenseNetwork NET = DenseNetwork.softmaxRegression(2, 2);
    private static final byte[] MODEL = Safetensors.write(NET.initialize(1), Map.of());
    private static final String HASH = ContentHash.of(MODEL);
    /** n = 10 examples; the plan's batch 2 gives q = 0.2 and each round takes 5 steps at sigma 1. */
    private static final Dataset DATA = new Dataset(new float[] {1, 0, 0, 1, 1, 1, 0, 0, -1, 1, 1, -1, 0.5f, 0.5f,
            -1, -1, 0.2f, 0.8f, 0.9f, 0.1f}, new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 2, 2);
    private static final double Q = 0.2;
    private static final double SIGMA = 1.0;
    private static final long STEPS = 5;
    private static final double DELTA = 0.01;

    @TempDir
    Path dir;
    private HttpServer server;
    /** Rounds the fake server assigns, in order; FINISHED when empty. Any upload moves on to the next. */
    private final Deque<String> assignments = new ArrayDeque<>();
    /** Rounds whose upload the fake server refuses (409). */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** The {@code localEpsilon} of every update that reached the server, in order. */
    private final List<Double> uploadedEpsilons = new ArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", ex -> reply(ex, 201,
                "{\"clientId\":\"c1\",\"federationId\":\"f1\",\"credential\":\"hc_secret\"}"));
        server.createContext("/api/v1/client/heartbeat", ex -> reply(ex, 200, "{}"));
        server.createContext("/api/v1/client/assignment", ex -> {
            polls.incrementAndGet();
            String round = assignments.peekFirst();
            reply(ex, 200, round == null ? "{\"state\":\"FINISHED\"}" : "{\"state\":\"ASSIGNED\",\"roundId\":\""
                    + round + "\",\"round\":1,\"attempt\":1,\"modelHash\":\"" + HASH + "\",\"broadcastHash\":null,"
                    + "\"plan\":{\"strategy\":\"fedavg\",\"role\":\"train\",\"localEpochs\":0,\"localSteps\":5,"
                    + "\"batchSize\":2,\"learningRate\":0.1,\"seed\":7,\"params\":{}}}");
        });
        server.createContext("/api/v1/client/tensors/", ex -> {
            ex.sendResponseHeaders(200, MODEL.length);
            ex.getResponseBody().write(MODEL);
            ex.close();
        });
        server.createContext("/api/v1/client/rounds/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String round = assignments.removeFirst();
            if (refused.contains(round)) {
                reply(ex, 409, "{\"reason\":\"round-closed\",\"detail\":\"the round closed before the upload\"}");
                return;
            }
            uploadedEpsilons.add(UpdateMetadata.parse(Safetensors.read(body).metadata()).trainMetrics()
                    .get(LocalDpSgd.EPSILON_METRIC));
            reply(ex, 202, "{\"state\":\"ACCEPTED\"}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** A fresh client process over the same state directory: a new trainer, a new account object, a new client. */
    private HansaClient client(double budget) {
        var config = new HansaClientConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "he_token", dir, "t", Map.of(), Duration.ZERO, Duration.ofSeconds(5), 2, Duration.ofMillis(1),
                Duration.ofMillis(10));
        LocalDpConfig localDp = new LocalDpConfig(SIGMA, 1.0, DELTA, budget, PerExampleClipping.GHOST, false);
        return new HansaClient(config, new BuiltInTrainer(NET, DATA, null, new JavaBackend(), localDp), d -> { });
    }

    /** The epsilon of one uninterrupted account after {@code rounds} rounds, recomputed from scratch. */
    private static double epsilonAfter(int rounds) {
        RdpAccountant account = RdpAccountant.empty();
        for (int r = 0; r < rounds; r++) {
            account = account.compose(Q, SIGMA, STEPS);
        }
        return account.epsilon(DELTA);
    }

    private Path accountFile() {
        return new ClientStateStore(dir).localPrivacyAccountFile();
    }

    private double storedEpsilon() {
        return LocalPrivacyAccount.storedIn(accountFile(), DELTA, Double.POSITIVE_INFINITY).epsilon();
    }

    @Test
    void aRestartedClientContinuesItsAccountFromWhereItStopped() throws Exception {
        assignments.addAll(List.of("r1", "r2", "r3", "r4"));
        try (HansaClient c = client(Double.POSITIVE_INFINITY)) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
        }
        try (HansaClient c = client(Double.POSITIVE_INFINITY)) {
            assertEquals(HansaClient.StepResult.FINISHED, c.run());
        }
        assertEquals(4, uploadedEpsilons.size());
        for (int r = 0; r < 4; r++) {
            assertEquals(epsilonAfter(r + 1), uploadedEpsilons.get(r), 1e-12, "round " + (r + 1));
        }
        assertTrue(uploadedEpsilons.get(2) > uploadedEpsilons.get(1), "the restart did not start from zero");
    }

    @Test
    void aBudgetThatTheRestartWouldPassRefusesTheRoundAndTheClientAsksForNoMoreWork() throws Exception {
        double budget = (epsilonAfter(2) + epsilonAfter(3)) / 2; // two rounds fit, a third does not
        assignments.addAll(List.of("r1", "r2", "r3"));
        try (HansaClient c = client(budget)) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
        }
        try (HansaClient c = client(budget)) {
            assertEquals(HansaClient.StepResult.BUDGET_EXHAUSTED, c.step());
            String reason = c.budgetExhausted().orElseThrow();
            assertTrue(reason.startsWith("local DP-SGD budget") && reason.contains("past the client's budget"),
                    reason);
            int pollsBefore = polls.get();
            assertEquals(HansaClient.StepResult.BUDGET_EXHAUSTED, c.run());
            assertEquals(pollsBefore, polls.get(), "an exhausted client stops asking for work");
        }
        assertEquals(2, uploadedEpsilons.size(), "r3 was not trained, so nothing was uploaded");
        assertEquals(epsilonAfter(2), storedEpsilon(), 1e-12, "the refused round spent nothing");
    }

    @Test
    void aRoundWhoseUploadIsRefusedStillCounts() throws Exception {
        assignments.addAll(List.of("r1", "r2"));
        refused.add("r1");
        try (HansaClient c = client(Double.POSITIVE_INFINITY)) {
            assertEquals(HansaClient.StepResult.REJECTED, c.step());
        }
        assertEquals(epsilonAfter(1), storedEpsilon(), 1e-12, "spent before the upload, kept after its refusal");
        try (HansaClient c = client(Double.POSITIVE_INFINITY)) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
        }
        assertEquals(List.of(epsilonAfter(2)), uploadedEpsilons);
    }

    @Test
    void aDamagedAccountStopsTheClientAndIsLeftAsItIs() throws Exception {
        assignments.addAll(List.of("r1", "r2"));
        try (HansaClient c = client(Double.POSITIVE_INFINITY)) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
        }
        String text = Files.readString(accountFile());
        String[] damaged = {
            text.replace("event 0.2 ", "event 0.1 "), // a changed number: the checksum no longer matches
            text.substring(0, text.indexOf("sha256")), // cut short before its checksum
            "",
        };
        for (String bad : damaged) {
            Files.writeString(accountFile(), bad);
            var e = assertThrows(IllegalStateException.class, () -> client(Double.POSITIVE_INFINITY));
            assertTrue(e.getMessage().contains(accountFile().toString()) && e.getMessage().contains("refusing to train"),
                    e.getMessage());
            assertArrayEquals(bad.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(accountFile()),
                    "the damaged account is not reset");
        }
        Files.delete(accountFile());
        Files.createDirectory(accountFile()); // unreadable as a file
        var e = assertThrows(IllegalStateException.class, () -> client(Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains(accountFile() + " cannot be read"), e.getMessage());
        assertEquals(1, uploadedEpsilons.size(), "nothing was trained on a damaged account");
    }
}
