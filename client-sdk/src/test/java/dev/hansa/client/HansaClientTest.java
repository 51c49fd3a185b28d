package dev.hansa.client;

import static dev.hansa.client.FakeServerReplies.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.hansa.client.http.HansaProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HansaClient against a fake server speaking docs/protocol.md. */
class HansaClientTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {3}));
    private static final byte[] MODEL = Safetensors.write(new Tensors(SPEC, new float[] {1, 2, 3}), Map.of());
    private static final String HASH = ContentHash.of(MODEL);

    @TempDir
    Path state;
    private HttpServer server;
    private final AtomicInteger enrollments = new AtomicInteger();
    private final List<String> keys = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> updateAnswers = Collections.synchronizedList(new ArrayList<>());
    private final List<Duration> sleeps = new ArrayList<>();
    private volatile boolean finished;
    private volatile byte[] served = MODEL;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", ex -> {
            enrollments.incrementAndGet();
            reply(ex, 201, "{\"clientId\":\"c1\",\"federationId\":\"f1\",\"credential\":\"hc_secret\"}");
        });
        server.createContext("/api/v1/client/heartbeat", ex -> reply(ex, 200, "{}"));
        server.createContext("/api/v1/client/assignment", ex -> reply(ex, 200, finished ? "{\"state\":\"FINISHED\"}"
                : "{\"state\":\"ASSIGNED\",\"roundId\":\"r1\",\"round\":1,\"attempt\":1,\"modelHash\":\"" + HASH
                + "\",\"broadcastHash\":null,\"deadline\":\"2030-01-01T00:00:00Z\",\"plan\":{\"strategy\":\"fedavg\","
                + "\"role\":\"train\",\"localEpochs\":1,\"localSteps\":0,\"batchSize\":1,\"learningRate\":0.1,\"seed\":5,\"params\":{}}}"));
        server.createContext("/api/v1/client/tensors/", ex -> {
            ex.sendResponseHeaders(200, served.length);
            ex.getResponseBody().write(served);
            ex.close();
        });
        server.createContext("/api/v1/client/rounds/", ex -> {
            ex.getRequestBody().readAllBytes();
            keys.add(ex.getRequestHeaders().getFirst("Idempotency-Key"));
            int status = updateAnswers.isEmpty() ? 202 : updateAnswers.removeFirst();
            if (status == 202) {
                finished = true;
                reply(ex, 202, "{\"state\":\"ACCEPTED\"}");
            } else {
                reply(ex, status, "{\"reason\":\"" + (status == 400 ? "shape-mismatch" : "busy") + "\",\"detail\":\"x\"}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Uploads the global model scaled by -0.5 and counts its calls. */
    private static final class HalvingTrainer implements LocalTrainer {
        int calls;

        @Override
        public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State s) {
            calls++;
            float[] v = global.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] *= -0.5f;
            }
            return new LocalResult(new Tensors(global.spec(), v), 4, Map.of("train_loss", 0.25), s);
        }

        @Override
        public long numSamples() {
            return 4;
        }
    }

    private HansaClient client(String token) {
        var config = new HansaClientConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), token, state,
                "t", Map.of(), Duration.ZERO, Duration.ofSeconds(5), 4, Duration.ofMillis(100), Duration.ofSeconds(1));
        return new HansaClient(config, new HalvingTrainer(), sleeps::add);
    }

    @Test
    void retriesATransientFailureWithTheSameIdempotencyKeyThenFinishes() throws Exception {
        updateAnswers.add(503);
        try (HansaClient c = client("he_token")) {
            c.run();
        }
        assertEquals(2, keys.size());
        assertEquals(keys.get(0), keys.get(1), "a retry re-sends the same Idempotency-Key");
        assertEquals(HansaClient.idempotencyKey("r1", "c1"), keys.getFirst());
        assertEquals(1, sleeps.size(), "one backoff before the retry");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("credential.properties"))));
    }

    @Test
    void aRestartedClientReusesItsCredentialAndModelCache() throws Exception {
        try (HansaClient c = client("he_token")) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
        }
        finished = false;
        served = new byte[] {1, 2, 3}; // a download now would fail the hash check: the cache must serve the model
        try (HansaClient c = client(null)) {
            assertEquals(HansaClient.StepResult.TRAINED, c.step());
            assertEquals(Optional.of("c1"), c.clientId());
        }
        assertEquals(1, enrollments.get());
        assertEquals(keys.get(0), keys.get(1), "the same round gives the same key after a restart");
    }

    @Test
    void aProblemDetailIsFinalForTheRound() throws Exception {
        updateAnswers.add(400);
        try (HansaClient c = client("he_token")) {
            assertEquals(HansaClient.StepResult.REJECTED, c.step());
        }
        assertEquals(1, keys.size(), "4xx is not retried");
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void tensorsThatDoNotMatchTheirHashAreRefused() {
        served = Safetensors.write(new Tensors(SPEC, new float[] {9, 9, 9}), Map.of());
        try (HansaClient c = client("he_token")) {
            HansaProtocolException e = assertThrows(HansaProtocolException.class, c::step);
            assertEquals("hash-mismatch", e.reason());
        }
        assertTrue(keys.isEmpty(), "nothing is trained or uploaded on unverified tensors");
    }

    @Test
    void configurationErrorsNameTheProperty() {
        var e = assertThrows(IllegalArgumentException.class, () -> new HansaClientConfig(URI.create("ftp://x"), null,
                state, "n", null, null, null, 1, null, null));
        assertTrue(e.getMessage().contains("serverUrl"));
        e = assertThrows(IllegalArgumentException.class, () -> new HansaClientConfig(URI.create("http://x"), null,
                state, "n", null, Duration.ofSeconds(61), null, 1, null, null));
        assertTrue(e.getMessage().contains("pollWait"));
    }
}
