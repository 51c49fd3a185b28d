package dev.hansa.aggregation.update.lgreco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.round.LocalFederation;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.TopKCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.codec.UpdateFrame;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * L-GreCo through the round protocol and the in-process federation: the clients report their errors, the server
 * re-plans after every {@code every}-th round from their weighted means, and the next round's plans carry the
 * per-tensor densities the codec then keeps.
 */
class LGreCoRoundsTest {

    /** A tensor whose energy is spread over all entries and one whose energy sits in 5 of 100. */
    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("spread", new int[] {10, 10}),
            new TensorSpec("spiky", new int[] {100}));
    private static final Map<String, Object> UPDATE = Map.of("codec", "topk", "k", 0.1, "errorFeedback", true,
            "lgreco", Map.of("every", 2));

    /** Trains to a fixed update and remembers the plan it got. */
    private static final class Fixed implements LocalFederation.Member {
        final float[] update;
        final long samples;
        TrainingPlan lastPlan;

        Fixed(long samples, long seed) {
            Random r = new Random(seed);
            this.update = new float[SPEC.parameterCount()];
            for (int i = 0; i < 100; i++) {
                update[i] = (float) ((r.nextBoolean() ? 1 : -1) * (1 + 0.1 * r.nextDouble()));
                update[100 + i] = (float) (i % 20 == 0 ? 5 + r.nextDouble() : 0.01 * r.nextGaussian());
            }
            this.samples = samples;
        }

        @Override
        public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state) {
            lastPlan = plan;
            return new LocalResult(new Tensors(SPEC, update.clone()), samples, Map.of(), State.EMPTY);
        }

        @Override
        public long declaredSamples() {
            return samples;
        }
    }

    @Test
    void reportsAreAveragedAndPlannedAfterEveryNthRoundAndTheNextPlansCarryThePerTensorDensities() {
        Map<String, Fixed> members = new LinkedHashMap<>();
        members.put("a", new Fixed(10, 1));
        members.put("b", new Fixed(30, 2));
        members.put("c", new Fixed(60, 3));
        RoundProtocol protocol = RoundConfig.configure("fedavg", Map.of(), Map.of(), UPDATE, Map.of(),
                new RoundConfig.Sampling("uniform", 1.0, 3, 3)).protocol();
        LocalFederation federation = new LocalFederation(protocol, 7, members, Tensors.zeros(SPEC),
                LocalFederation.Executor.SEQUENTIAL);

        federation.runRound(1);
        assertEquals(Map.of(), members.get("a").lastPlan.update().tensorKnob(), "round 1: uniform");
        assertTrue(LGreCoPlanning.current(federation.serverState(), SPEC).isEmpty(), "every = 2: no plan after 1");

        // Round 2's updates are the clients' own plus their error-feedback residuals of round 1: the reference
        // measures the errors on exactly those, averages them by sample count, and solves.
        TopKKnob knob = new TopKKnob(0.1, new LGreCoSettings(2, 5));
        double[][] mean = new double[2][5];
        for (Fixed m : members.values()) {
            float[] corrected = m.update.clone();
            float[] sent = TopKCodec.perTensor(0.1, Map.of()).reconstruct(new Tensors(SPEC, m.update)).values();
            for (int i = 0; i < corrected.length; i++) {
                corrected[i] += m.update[i] - sent[i];
            }
            double[][] errors = knob.errors(new Tensors(SPEC, corrected));
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < 5; j++) {
                    mean[l][j] += m.samples * errors[l][j] / 100.0;
                }
            }
        }
        int[] want = LGreCoPlanner.plan(knob.sizes(SPEC), mean, mean[0][2] + mean[1][2])
                .orElseThrow();
        LocalFederation.RoundReport second = federation.runRound(2);
        Map<String, Double> planned = LGreCoPlanning.current(federation.serverState(), SPEC);
        assertEquals(Map.of("spread", knob.options()[want[0]], "spiky", knob.options()[want[1]]), planned);
        assertTrue(want[1] < want[0], "the spiky tensor gets the smaller density: " + want[0] + ", " + want[1]);
        assertTrue(second.metrics().get("lgreco_planned_bits") < second.metrics().get("lgreco_uniform_bits"),
                second.metrics().toString());

        federation.runRound(3);
        UpdateSpec third = members.get("a").lastPlan.update();
        assertEquals(planned, third.tensorKnob(), "round 3's plans carry the plan");
        byte[] frame = third.createCodec().encode(new Tensors(SPEC, members.get("a").update), Map.of("num_samples",
                "1"));
        float[] decoded = third.createCodec().decode(MemorySegment.ofArray(frame), SPEC).values().values();
        int spread = 0;
        int spiky = 0;
        for (int i = 0; i < 100; i++) {
            spread += decoded[i] != 0 ? 1 : 0;
            spiky += decoded[100 + i] != 0 ? 1 : 0;
        }
        assertArrayEquals(new int[] {TopKCodec.kept(planned.get("spread"), 100), TopKCodec.kept(planned.get("spiky"),
                100)}, new int[] {spread, spiky});
    }

    /**
     * qsgd's levels and sparseloco's kPerChunk through the same rounds, without error feedback so that every round's
     * update is the client's own: round 2's plan is the solver's on the sample-weighted mean of the knob's errors on
     * those updates, it differs from the uniform setting, and round 3's plans run it, the frames carrying exactly the
     * planned sizes.
     */
    @ParameterizedTest
    @MethodSource("knobs")
    void theKnobOfQsgdAndSparseLoCoIsPlannedAfterEveryNthRoundAndCarriedToTheCodec(Map<String, Object> update,
                                                                                   LGreCoKnob knob) {
        Map<String, Fixed> members = new LinkedHashMap<>();
        members.put("a", new Fixed(10, 1));
        members.put("b", new Fixed(30, 2));
        members.put("c", new Fixed(60, 3));
        RoundProtocol protocol = RoundConfig.configure("fedavg", Map.of(), Map.of(), update, Map.of(),
                new RoundConfig.Sampling("uniform", 1.0, 3, 3)).protocol();
        LocalFederation federation = new LocalFederation(protocol, 7, members, Tensors.zeros(SPEC),
                LocalFederation.Executor.SEQUENTIAL);
        federation.runRound(1);
        assertTrue(LGreCoPlanning.current(federation.serverState(), SPEC).isEmpty(), "every = 2: no plan after 1");

        double[][] mean = new double[2][5];
        for (Fixed m : members.values()) {
            double[][] errors = knob.errors(new Tensors(SPEC, m.update));
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < 5; j++) {
                    mean[l][j] += m.samples * errors[l][j] / 100.0;
                }
            }
        }
        long[][] sizes = knob.sizes(SPEC);
        int[] want = LGreCoPlanner.plan(sizes, mean, mean[0][2] + mean[1][2]).orElseThrow();
        assertTrue(want[0] != 2 || want[1] != 2, "the plan is not the uniform setting: " + want[0] + ", " + want[1]);
        LocalFederation.RoundReport second = federation.runRound(2);
        Map<String, Double> planned = LGreCoPlanning.current(federation.serverState(), SPEC);
        assertEquals(Map.of("spread", knob.options()[want[0]], "spiky", knob.options()[want[1]]), planned);
        assertEquals((double) sizes[0][want[0]] + sizes[1][want[1]], second.metrics().get("lgreco_planned_bits"));
        assertEquals((double) sizes[0][2] + sizes[1][2], second.metrics().get("lgreco_uniform_bits"));

        federation.runRound(3);
        UpdateSpec third = members.get("a").lastPlan.update();
        assertEquals(planned, third.tensorKnob(), "round 3's plans carry the plan");
        UpdateCodec codec = third.createCodec().forParticipant(members.get("a").lastPlan.seed());
        Map<String, String> meta = Map.of("num_samples", "1");
        byte[] frame = codec.encode(new Tensors(SPEC, members.get("a").update), meta);
        long bits = sizes[0][want[0]] + sizes[1][want[1]];
        assertEquals(UpdateFrame.size(third.codec(), meta, (bits + 7) / 8), frame.length);
        assertArrayEquals(knob.codec(planned).forParticipant(members.get("a").lastPlan.seed())
                .reconstruct(new Tensors(SPEC, members.get("a").update)).values(),
                codec.decode(MemorySegment.ofArray(frame), SPEC).values().values());
    }

    static Stream<Arguments> knobs() {
        LGreCoSettings settings = new LGreCoSettings(2, 5);
        return Stream.of(
                Arguments.of(Map.of("codec", "qsgd", "params", Map.of("levels", 3, "bucket", 10),
                        "lgreco", Map.of("every", 2)), new QsgdKnob(3, 10, settings)),
                Arguments.of(Map.of("codec", "sparseloco", "params", Map.of("chunk", 10, "kPerChunk", 10),
                        "lgreco", Map.of("every", 2)), new SparseLoCoKnob(10, 10, settings)));
    }

    @Test
    void theSectionIsValidatedNamingItsFields() {
        for (var bad : List.<Map<String, Object>>of(
                Map.of("codec", "randk", "k", 0.1, "lgreco", Map.of("every", 2)),
                Map.of("codec", "sign", "lgreco", Map.of("every", 2)),
                Map.of("codec", "topk", "k", 0.6, "lgreco", Map.of("every", 2)),
                Map.of("codec", "topk", "k", 50, "lgreco", Map.of("every", 2)))) {
            String message = assertThrows(IllegalArgumentException.class, () -> RoundConfig.updateSpec(bad))
                    .getMessage();
            assertTrue(message.startsWith("update.lgreco"), bad + ": " + message);
        }
        for (var bad : List.<Map<String, Object>>of(Map.of("every", 0), Map.of("options", 5),
                Map.of("every", 1, "options", 4), Map.of("every", 1, "options", 11), Map.of("every", 1, "x", 1))) {
            String message = assertThrows(IllegalArgumentException.class, () -> RoundConfig.updateSpec(
                    Map.of("codec", "topk", "k", 0.1, "lgreco", bad))).getMessage();
            assertTrue(message.startsWith("update.lgreco"), bad + ": " + message);
        }
        assertEquals(Map.of("every", 3, "options", 5), RoundConfig.updateSpec(Map.of("codec", "topk", "k", 0.1,
                "lgreco", Map.of("every", 3))).toMap().get("lgreco"));
        ModelSpec wide = ModelSpec.of(IntStream.range(0, 10)
                .mapToObj(i -> new TensorSpec("t" + i, new int[] {4})).toArray(TensorSpec[]::new));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LGreCoSettings(1, 5).checkModel(wide))
                .getMessage().startsWith("update.lgreco.options"));
    }

    @Test
    void aPlanStoredUnderTheTopkOnlyPrefixIsStillRead() {
        String first = SPEC.tensors().getFirst().name();
        State older = new State(Map.of(), Map.of(LGreCoPlanning.TOPK_STATE_PREFIX + 0, 0.02));
        assertEquals(Map.of(first, 0.02), LGreCoPlanning.current(older, SPEC));
        State both = new State(Map.of(), Map.of(LGreCoPlanning.TOPK_STATE_PREFIX + 0, 0.02,
                LGreCoPlanning.STATE_PREFIX + 0, 0.005));
        assertEquals(Map.of(first, 0.005), LGreCoPlanning.current(both, SPEC), "the current prefix wins");
    }
}
