package dev.hansa.aggregation.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.Bf16Codec;
import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.transform.ClipToNorm;
import dev.hansa.aggregation.update.transform.ErrorFeedback;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UpdatePipelineTest {

    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {50}));

    static Tensors random(Random r, double scale) {
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return new Tensors(SPEC, v);
    }

    @Test
    void theDefaultPipelineSendsTheUpdateAsItIs() {
        UpdatePipeline pipeline = UpdatePipeline.of(UpdateSpec.DENSE);
        Tensors u = random(new Random(1), 1);
        UpdatePipeline.Prepared p = pipeline.prepare(u, State.EMPTY, 7);
        assertSame(u, p.update());
        assertEquals(State.EMPTY, p.state());
        assertEquals(DenseCodec.NAME, pipeline.codec().name());
    }

    @Test
    void clippingBoundsTheNormAndLeavesSmallerUpdatesAlone() {
        ClipToNorm clip = new ClipToNorm(2.0);
        Tensors big = random(new Random(2), 10);
        Tensors clipped = clip.apply(big, State.EMPTY, 0).update();
        assertEquals(2.0, clipped.l2Norm(), 1e-5);
        double scale = 2.0 / big.l2Norm();
        for (int i = 0; i < big.values().length; i++) {
            assertEquals(big.values()[i] * scale, clipped.values()[i], 1e-6);
        }
        Tensors small = random(new Random(3), 0.01);
        assertSame(small, clip.apply(small, State.EMPTY, 0).update());
        Tensors zero = Tensors.zeros(SPEC);
        assertSame(zero, clip.apply(zero, State.EMPTY, 0).update(), "a zero update is not divided by its norm");
        assertThrows(IllegalArgumentException.class, () -> new ClipToNorm(0));
    }

    @Test
    void errorFeedbackLosesNothingOverRounds() {
        // What the server decoded over T rounds plus the residual still held equals the sum of the clipped updates.
        UpdatePipeline pipeline = UpdatePipeline.of(new UpdateSpec(Bf16Codec.NAME, 0, true));
        Random r = new Random(4);
        State state = State.EMPTY;
        double[] sent = new double[SPEC.parameterCount()];
        double[] produced = new double[SPEC.parameterCount()];
        for (int t = 0; t < 30; t++) {
            Tensors u = random(r, 1e-3);
            UpdatePipeline.Prepared p = pipeline.prepare(u, state, t);
            float[] received = pipeline.codec().reconstruct(p.update()).values();
            for (int i = 0; i < sent.length; i++) {
                sent[i] += received[i];
                produced[i] += u.values()[i];
            }
            state = StateCodec.decode(StateCodec.encode(p.state())); // as the SDK stores it between rounds
        }
        float[] residual = state.tensor("errorFeedback." + ErrorFeedback.RESIDUAL).orElseThrow().values();
        double worstWithout = 0;
        for (int i = 0; i < sent.length; i++) {
            assertEquals(produced[i], sent[i] + residual[i], 1e-6, "coordinate " + i);
            worstWithout = Math.max(worstWithout, Math.abs(produced[i] - sent[i]));
        }
        assertTrue(worstWithout > 0, "bf16 does lose something each round");
    }

    @Test
    void statePartsBelongToTheirTransforms() {
        UpdatePipeline pipeline = UpdatePipeline.of(new UpdateSpec(Bf16Codec.NAME, 1.0, true));
        UpdatePipeline.Prepared p = pipeline.prepare(random(new Random(5), 1), State.EMPTY, 0);
        assertEquals(List.of("errorFeedback.residual"), List.copyOf(p.state().tensors().keySet()));
        assertEquals(p.state().tensors().keySet(), pipeline.init(SPEC).tensors().keySet());
    }

    @Test
    void transformsAreUniqueInAChainAndErrorFeedbackNeedsALossyCodec() {
        assertThrows(IllegalArgumentException.class,
                () -> new UpdatePipeline(List.of(new ClipToNorm(1), new ClipToNorm(2)), new DenseCodec()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UpdateSpec(DenseCodec.NAME, 0, true));
        assertTrue(e.getMessage().contains("update.errorFeedback"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UpdateSpec("gzip", 0, false))
                .getMessage().contains("update.codec"));
    }

    @Test
    void theUpdateSectionTakesKForSparseCodecsOnly() {
        UpdateSpec topK = RoundConfig.updateSpec(Map.of("codec", "topk", "k", 0.01, "errorFeedback", true));
        assertEquals(new UpdateSpec("topk", 0, true, 0.01), topK);
        assertEquals(Map.of("codec", "topk", "clipNorm", 0.0, "errorFeedback", true, "k", 0.01), topK.toMap());
        assertEquals(100, RoundConfig.updateSpec(Map.of("codec", "randk", "k", 100)).k());
        assertEquals(Map.of("codec", "bf16", "clipNorm", 0.0, "errorFeedback", false),
                RoundConfig.updateSpec(Map.of("codec", "bf16")).toMap(), "no k where it does not apply");
        assertEquals(Map.of("codec", "qsgd", "clipNorm", 0.0, "errorFeedback", false,
                        "params", Map.of("levels", 4.0, "bucket", 512.0)),
                RoundConfig.updateSpec(Map.of("codec", "qsgd", "params", Map.of("levels", 4))).toMap(),
                "the codec's parameters with their defaults");
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("codec", "topk"),
                Map.of("codec", "randk", "k", 2.5), Map.of("codec", "bf16", "k", 0.1),
                Map.of("codec", "topk", "k", -1))) {
            String message = assertThrows(IllegalArgumentException.class, () -> RoundConfig.updateSpec(bad))
                    .getMessage();
            assertTrue(message.startsWith("update.k"), bad + ": " + message);
        }
    }

    @Test
    void metadataRoundTripsAndRefusesWhatTheLedgerCannotHold() {
        UpdateMetadata m = new UpdateMetadata(600, Map.of("train_loss", 0.41), Map.of("test_accuracy", 0.8125));
        assertEquals(m, UpdateMetadata.parse(m.toMap()));
        assertEquals(Map.of("num_samples", "600", "train_loss", "0.41", "eval.test_accuracy", "0.8125"), m.toMap());
        for (Map<String, String> bad : List.<Map<String, String>>of(Map.of("num_samples", "0"), Map.of("num_samples", "-3"),
                Map.of("num_samples", "1e3"), Map.of("num_samples", "99999999999999999999"), Map.of())) {
            assertEquals("missing-metadata", assertThrows(InvalidUpdateException.class,
                    () -> UpdateMetadata.parse(bad)).reason(), bad.toString());
        }
        for (Map<String, String> bad : List.of(Map.of("num_samples", "1", "a\u0000", "1"),
                Map.of("num_samples", "1", "loss", "Infinity"), Map.of("num_samples", "1", "loss", "1d"),
                Map.of("num_samples", "1", "loss", " 1"), Map.of("num_samples", "1", "k".repeat(65), "1"))) {
            assertEquals("invalid-metadata", assertThrows(InvalidUpdateException.class,
                    () -> UpdateMetadata.parse(bad)).reason(), bad.toString());
        }
    }

    @Test
    void codecOutputIsDeterministicSoRetriesSendTheSameBytes() {
        Tensors u = random(new Random(6), 1);
        Bf16Codec codec = new Bf16Codec();
        assertArrayEquals(codec.encode(u, Map.of("num_samples", "1")), codec.encode(u, Map.of("num_samples", "1")));
    }
}
