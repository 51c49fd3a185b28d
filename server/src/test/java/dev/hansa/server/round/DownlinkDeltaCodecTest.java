package dev.hansa.server.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.aggregation.tensor.ModelDelta;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.TopKCodec;
import dev.hansa.server.Api;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.FederationFixture;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The compressed downlink over HTTP: a client that names the version it holds gets the next one as a lossless
 * delta that rebuilds its bytes exactly, and the full file whenever the server cannot or need not send a delta.
 */
class DownlinkDeltaCodecTest extends EmbeddedServerTest {

    private static final ModelSpec SPEC = DenseArchitecture.mlp(16, new int[] {32}, 4).spec();

    @Test
    void aClientHoldingThePreviousVersionGetsALosslessDeltaOfTheNext() {
        Map<String, Object> config = FederationFixture.config(1, 2, 60, 1.0, "fedavg");
        config.put("model", Map.of("architecture", "mlp",
                "params", Map.of("inputSize", 16, "hiddenLayers", List.of(32), "numClasses", 4)));
        config.put("update", Map.of("codec", "topk", "k", 0.02));
        FederationFixture f = new FederationFixture(api, 1, config);
        f.start();
        orchestrator.tick();
        FederationFixture.Client c = f.clients.getFirst();
        var first = f.assignment(c).json();
        String h1 = first.get("modelHash").asString();
        float[] step = new float[SPEC.parameterCount()];
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < step.length; i++) {
            step[i] = (float) r.nextGaussian() * 0.01f;
        }
        byte[] body = new TopKCodec(0.02).encode(new Tensors(SPEC, step), Map.of("num_samples", "10"));
        assertEquals(202, api.put("/api/v1/client/rounds/" + first.get("roundId").asString() + "/update",
                c.credential(), body, "k").status());
        orchestrator.tick();
        orchestrator.tick();
        String h2 = f.assignment(c).json().get("modelHash").asString();
        assertNotEquals(h1, h2, "round 2 starts from the new version");

        byte[] v1 = api.get("/api/v1/client/tensors/" + h1, c.credential()).bytes();
        byte[] v2 = api.get("/api/v1/client/tensors/" + h2, c.credential()).bytes();
        Api.Reply delta = api.get("/api/v1/client/tensors/" + h2 + "?base=" + h1, c.credential());
        assertEquals(200, delta.status());
        assertEquals("application/vnd.hansa.delta", delta.raw().headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(v2, ModelDelta.apply(v1, delta.bytes()), "the exact bytes of version 2");
        assertTrue(delta.bytes().length * 5 < v2.length, delta.bytes().length + " of " + v2.length + " bytes");

        String unknown = "0".repeat(64);
        for (String base : List.of(unknown, h2)) {
            Api.Reply full = api.get("/api/v1/client/tensors/" + h2 + "?base=" + base, c.credential());
            assertEquals("application/octet-stream", full.raw().headers().firstValue("Content-Type").orElseThrow());
            assertArrayEquals(v2, full.bytes(), "the full file for base " + base);
        }
        Api.Reply bad = api.get("/api/v1/client/tensors/" + h2 + "?base=xyz", c.credential());
        assertEquals(400, bad.status());
        assertEquals("invalid-hash", bad.reason());
    }
}
