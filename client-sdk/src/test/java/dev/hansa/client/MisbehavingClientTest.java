package dev.hansa.client;

import static dev.hansa.client.FakeServerReplies.reply;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hansa.aggregation.attack.GaussianAttack;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.compute.JavaBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** A misbehaving SDK client uploads the attacked update: what a fake server receives, decoded. */
class MisbehavingClientTest {

    private static final String PLAN = "{\"strategy\":\"fedavg\",\"role\":\"train\",\"localEpochs\":1,\"localSteps\":0,"
            + "\"batchSize\":2,\"learningRate\":0.5,\"seed\":5,\"params\":{}}";
    private static final DenseNetwork NET = DenseNetwork.softmaxRegression(2, 3);
    private static final Tensors GLOBAL = NET.initialize(3);
    private static final byte[] MODEL = Safetensors.write(GLOBAL, Map.of());
    /** Six samples of three classes; flipped, class y becomes 2 - y. */
    private static final Dataset DATA = new Dataset(new float[] {1, 0, 0, 1, -1, 0, 0, -1, 1, 1, -1, -1},
            new int[] {0, 1, 2, 0, 1, 2}, 2, 3);

    @TempDir
    Path state;
    private HttpServer server;
    private volatile byte[] uploaded;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", ex ->
                reply(ex, 201, "{\"clientId\":\"c1\",\"federationId\":\"f1\",\"credential\":\"hc_secret\"}"));
        server.createContext("/api/v1/client/heartbeat", ex -> reply(ex, 200, "{}"));
        server.createContext("/api/v1/client/assignment", ex -> reply(ex, 200,
                "{\"state\":\"ASSIGNED\",\"roundId\":\"r1\",\"round\":1,\"attempt\":1,\"modelHash\":\""
                + ContentHash.of(MODEL) + "\",\"broadcastHash\":null,\"deadline\":\"2030-01-01T00:00:00Z\",\"plan\":"
                + PLAN + "}"));
        server.createContext("/api/v1/client/tensors/", ex -> {
            ex.sendResponseHeaders(200, MODEL.length);
            ex.getResponseBody().write(MODEL);
            ex.close();
        });
        server.createContext("/api/v1/client/rounds/", ex -> {
            uploaded = ex.getRequestBody().readAllBytes();
            reply(ex, 202, "{\"state\":\"ACCEPTED\"}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HansaClientConfig config(Misbehaviour misbehaviour) {
        return new HansaClientConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "he_token", state,
                "t", Map.of(), Duration.ZERO, Duration.ofSeconds(5), 1, Duration.ZERO, Duration.ZERO, misbehaviour);
    }

    /** What a client with {@code misbehaviour} and {@code trainer} uploads in its one round. */
    private float[] upload(Misbehaviour misbehaviour, LocalTrainer trainer) throws InterruptedException {
        try (HansaClient client = new HansaClient(config(misbehaviour), trainer)) {
            assertEquals(HansaClient.StepResult.TRAINED, client.step());
        }
        return Safetensors.read(uploaded, GLOBAL.spec()).tensors().values();
    }

    private static BuiltInTrainer trainer(Dataset data) {
        return new BuiltInTrainer(NET, data, null, new JavaBackend());
    }

    /** The honest update of the built-in trainer on {@code data} for the fake server's plan. */
    private static float[] honest(Dataset data) {
        TrainingPlan plan = JsonMapper.builder().build().readValue(PLAN, TrainingPlan.class);
        LocalResult r = trainer(data).train(GLOBAL, plan, Optional.empty(), State.EMPTY);
        return r.update().values();
    }

    @Test
    void anHonestClientUploadsItsUpdate() throws InterruptedException {
        assertArrayEquals(honest(DATA), upload(Misbehaviour.NONE, trainer(DATA)));
        assertSame(Misbehaviour.NONE, config(null).misbehaviour());
    }

    @Test
    void aSignFlippingOrScalingClientUploadsItsUpdateTimesTheFactor() throws InterruptedException {
        float[] honest = honest(DATA);
        for (double factor : new double[] {-1, 50}) {
            float[] expected = new float[honest.length];
            for (int i = 0; i < honest.length; i++) {
                expected[i] = (float) (factor * honest[i]);
            }
            Misbehaviour m = factor == -1 ? Misbehaviour.signFlipped() : new Misbehaviour.Scaled(factor);
            assertArrayEquals(expected, upload(m, trainer(DATA)));
        }
    }

    @Test
    void aGaussianClientUploadsNoiseFromItsPlansSeed() throws InterruptedException {
        float[] expected = GaussianAttack.draw(GLOBAL.values().length, 0.5, 2, Seeds.forClient(5, "misbehaviour"));
        assertArrayEquals(expected, upload(new Misbehaviour.Gaussian(0.5, 2), trainer(DATA)));
    }

    @Test
    void aLabelFlippingClientUploadsWhatTrainingOnFlippedLabelsGives() throws InterruptedException {
        Dataset flipped = DATA.withFlippedLabels();
        assertArrayEquals(new int[] {2, 1, 0, 2, 1, 0}, new int[] {flipped.label(0), flipped.label(1), flipped.label(2),
                flipped.label(3), flipped.label(4), flipped.label(5)});
        float[] sent = upload(new Misbehaviour.LabelFlipped(), trainer(DATA));
        assertArrayEquals(honest(flipped), sent);
        assertFalse(Arrays.equals(honest(DATA), sent), "not the honest update");
    }

    @Test
    void labelFlippingNeedsTheBuiltInTrainerAndFactorsMustBeFinite() {
        LocalTrainer own = new LocalTrainer() {
            @Override
            public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State s) {
                throw new AssertionError();
            }

            @Override
            public long numSamples() {
                return 1;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HansaClient(config(new Misbehaviour.LabelFlipped()), own));
        assertTrue(e.getMessage().contains("BuiltInTrainer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Misbehaviour.Scaled(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new Misbehaviour.Gaussian(0, -1));
    }
}
