package dev.hansa.client;

import static dev.hansa.client.FakeServerReplies.reply;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.ModelDelta;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's side of the compressed downlink against a fake server: it names the version it trained on as the base
 * of the next download, rebuilds the next version from the delta exactly, and downloads in full when a delta does
 * not apply.
 */
class HansaClientDeltaTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {1000}));
    private static final byte[][] VERSIONS = new byte[2][];

    static {
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i);
        }
        VERSIONS[0] = Safetensors.write(new Tensors(SPEC, v), Map.of());
        v[17] += 0.5f;
        v[800] -= 0.25f;
        VERSIONS[1] = Safetensors.write(new Tensors(SPEC, v), Map.of());
    }

    @TempDir
    Path state;
    private HttpServer server;
    private final List<String> downloads = Collections.synchronizedList(new ArrayList<>());
    private final List<float[]> trainedOn = Collections.synchronizedList(new ArrayList<>());
    private volatile int round = 1;
    private volatile boolean corruptDeltas;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", ex ->
                reply(ex, 201, "{\"clientId\":\"c1\",\"federationId\":\"f1\",\"credential\":\"hc_secret\"}"));
        server.createContext("/api/v1/client/heartbeat", ex -> reply(ex, 200, "{}"));
        server.createContext("/api/v1/client/assignment", ex -> reply(ex, 200, round > 2 ? "{\"state\":\"FINISHED\"}"
                : "{\"state\":\"ASSIGNED\",\"roundId\":\"r" + round + "\",\"round\":" + round + ",\"attempt\":1,"
                + "\"modelHash\":\"" + ContentHash.of(VERSIONS[round - 1]) + "\",\"broadcastHash\":null,"
                + "\"deadline\":\"2030-01-01T00:00:00Z\",\"plan\":{\"strategy\":\"fedavg\",\"role\":\"train\","
                + "\"localEpochs\":1,\"localSteps\":0,\"batchSize\":1,\"learningRate\":0.1,\"seed\":5,\"params\":{}}}"));
        server.createContext("/api/v1/client/tensors/", this::tensors);
        server.createContext("/api/v1/client/rounds/", ex -> {
            ex.getRequestBody().readAllBytes();
            round++;
            reply(ex, 202, "{\"state\":\"ACCEPTED\"}");
        });
        server.start();
    }

    /** Version 2 as a delta when asked against version 1 (corrupted on request), else the full file. */
    private void tensors(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery();
        downloads.add(query == null ? "full" : query);
        String hash = ex.getRequestURI().getPath().substring("/api/v1/client/tensors/".length());
        byte[] body = ContentHash.of(VERSIONS[0]).equals(hash) ? VERSIONS[0] : VERSIONS[1];
        if (("base=" + ContentHash.of(VERSIONS[0])).equals(query)) {
            body = ModelDelta.encode(VERSIONS[0], VERSIONS[1]).orElseThrow();
            if (corruptDeltas) {
                body[body.length - 6] ^= 1;
            }
            ex.getResponseHeaders().add("Content-Type", "application/vnd.hansa.delta");
        }
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HansaClient client() {
        var config = new HansaClientConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "he_token",
                state, "t", Map.of(), Duration.ZERO, Duration.ofSeconds(5), 1, Duration.ofMillis(100),
                Duration.ofSeconds(1));
        return new HansaClient(config, new LocalTrainer() {
            @Override
            public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State s) {
                trainedOn.add(global.values().clone());
                return new LocalResult(new Tensors(SPEC, new float[1000]), 4, Map.of(), s);
            }

            @Override
            public long numSamples() {
                return 4;
            }
        }, d -> { });
    }

    @Test
    void theNextVersionComesAsADeltaAgainstTheOneTrainedOnAndIsRebuiltExactly() throws Exception {
        try (HansaClient c = client()) {
            c.run();
        }
        assertEquals(List.of("full", "base=" + ContentHash.of(VERSIONS[0])), downloads);
        assertArrayEquals(Safetensors.read(VERSIONS[1]).tensors().values(), trainedOn.get(1));
    }

    @Test
    void aDeltaThatDoesNotApplyIsFollowedByTheFullFile() throws Exception {
        corruptDeltas = true;
        try (HansaClient c = client()) {
            c.run();
        }
        assertEquals(List.of("full", "base=" + ContentHash.of(VERSIONS[0]), "full"), downloads);
        assertArrayEquals(Safetensors.read(VERSIONS[1]).tensors().values(), trainedOn.get(1));
    }
}
