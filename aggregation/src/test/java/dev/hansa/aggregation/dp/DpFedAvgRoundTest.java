package dev.hansa.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.hansa.aggregation.update.UpdatePipeline;
import dev.hansa.privacy.accounting.NoiseMultiplierPlanner;
import dev.hansa.privacy.mechanism.L2Clip;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Client-level DP-FedAvg through the round protocol: clients clip to the plan's clip, the server noises the sum once
 * and divides by the denominator; limits, the noise's size, adaptive clipping's state and every refusal.
 * FedAvg with server learning rate 1 from the zero model, so one round's model is the round's noised mean.
 */
class DpFedAvgRoundTest {

    private static final Map<String, Object> UNIFORM = Map.of("weighting", "uniform");

    /** Trains to a fixed update. */
    private record Fixed(ModelSpec spec, float[] update) implements LocalFederation.Member {
        @Override
        public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state) {
            return new LocalResult(new Tensors(spec, update.clone()), 5, Map.of("train_loss", 1.0), State.EMPTY);
        }

        @Override
        public long declaredSamples() {
            return 5;
        }
    }

    private static Map<String, Fixed> members(int n, int d, double scale, long seed) {
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {d}));
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Fixed> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            float[] u = new float[d];
            for (int j = 0; j < d; j++) {
                u[j] = (float) (random.nextGaussian() * scale * (1 + i % 4));
            }
            out.put(String.format("c%03d", i), new Fixed(spec, u));
        }
        return out;
    }

    private static RoundProtocol protocol(Map<String, ?> privacy, String sampler, double fraction, int clients) {
        return RoundConfig.configure("fedavg", UNIFORM, Map.of(), Map.of(), Map.of(), privacy,
                new RoundConfig.Sampling(sampler, fraction, 1, clients), 10).protocol().withNoise(NoiseSource.SEEDED);
    }

    private static LocalFederation federation(RoundProtocol protocol, Map<String, Fixed> members) {
        ModelSpec spec = members.values().iterator().next().spec();
        return new LocalFederation(protocol, 7, members, Tensors.zeros(spec), LocalFederation.Executor.SEQUENTIAL);
    }

    @Nested
    class Limits {

        @Test
        void aHugeClipAndNoNoiseGiveThePlainMean() {
            Map<String, Fixed> members = members(12, 30, 1, 1);
            for (String denominator : new String[] {"expected", "actual"}) {
                LocalFederation dp = federation(protocol(Map.of("noiseMultiplier", 0.0, "clipNorm", 1e9, "delta", 1e-5,
                        "denominator", denominator), "poisson", 1.0, 12), members);
                LocalFederation plain = federation(RoundConfig.configure("fedavg", UNIFORM, Map.of(), Map.of(), Map.of(),
                        new RoundConfig.Sampling("uniform", 1.0, 12, 12)).protocol(), members);
                dp.runRound(1);
                plain.runRound(1);
                assertArrayEquals(plain.model().values(), dp.model().values(), 1e-6f, denominator);
            }
        }

        @Test
        void allZeroUpdatesGiveTheNoiseAlone() {
            Map<String, Fixed> members = members(10, 4, 0, 2);
            LocalFederation dp = federation(protocol(Map.of("noiseMultiplier", 0.0, "clipNorm", 1.0, "delta", 1e-5),
                    "poisson", 1.0, 10), members);
            LocalFederation.RoundReport report = dp.runRound(1);
            assertArrayEquals(new float[4], dp.model().values());
            assertFalse(report.metrics().values().stream().anyMatch(v -> v.isNaN()), report.metrics().toString());
        }
    }

    @Test
    void everyPlanClipsToTheClipAndNoContributionExceedsIt() {
        RoundProtocol protocol = protocol(Map.of("noiseMultiplier", 1.0, "clipNorm", 0.5, "delta", 1e-5), "poisson",
                1.0, 20);
        Map<String, Fixed> members = members(20, 50, 1, 3);
        RoundProtocol.Opened round = protocol.open(7, 1, 1, members.keySet().stream().sorted().toList(), 20,
                Tensors.zeros(members.get("c000").spec()), State.EMPTY);
        for (String id : round.participants()) {
            TrainingPlan plan = round.plan().plans().get(id);
            assertEquals(0.5, plan.update().clipNorm());
            UpdatePipeline.Prepared p = UpdatePipeline.of(plan.update()).prepare(
                    new Tensors(members.get(id).spec(), members.get(id).update()), State.EMPTY, plan.seed());
            assertTrue(L2Clip.norm(p.update().values()) <= 0.5, id);
            assertEquals(0.0, p.metrics().get("unclipped"), "every update here is longer than 0.5");
        }
    }

    @Test
    void theSimulatedClientsClipToTheirPlansClip() {
        // z = 0, q = 1, C = 0.5: the model after one round from 0 is the mean of the updates clipped in double.
        Map<String, Fixed> members = members(8, 6, 1, 9);
        LocalFederation dp = federation(protocol(Map.of("noiseMultiplier", 0.0, "clipNorm", 0.5, "delta", 1e-5),
                "poisson", 1.0, 8), members);
        dp.runRound(1);
        double[] mean = new double[6];
        for (Fixed m : members.values()) {
            double norm = L2Clip.norm(m.update());
            for (int j = 0; j < mean.length; j++) {
                mean[j] += m.update()[j] * Math.min(1, 0.5 / norm) / members.size();
            }
        }
        for (int j = 0; j < mean.length; j++) {
            assertEquals(mean[j], dp.model().values()[j], 1e-6, "coordinate " + j);
        }
    }

    @Test
    void theNoiseOnTheMeanHasStddevZTimesClipOverTheExpectedCount() {
        // 10 of 100 clients expected (q = 0.1), zero updates, z = 2, C = 3: the mean's noise has std 2 * 3 / 10.
        Map<String, Fixed> members = members(100, 20_000, 0, 4);
        LocalFederation dp = federation(protocol(Map.of("noiseMultiplier", 2.0, "clipNorm", 3.0, "delta", 1e-5),
                "poisson", 0.1, 100), members);
        LocalFederation.RoundReport report = dp.runRound(1);
        assertTrue(report.participants() > 0);
        double squares = 0;
        for (float v : dp.model().values()) {
            squares += (double) v * v;
        }
        double std = Math.sqrt(squares / 20_000);
        assertEquals(0.6, std, 0.6 * 5 / Math.sqrt(2 * 20_000.0));
        assertEquals(10.0, report.metrics().get("dp.denominator"), 1e-12);
        assertEquals(6.0, report.metrics().get("dp.noise_stddev"), 6e-4);
        assertFalse(report.metrics().containsKey("train_loss"), "client metric means are not released");
    }

    @Test
    void adaptiveClippingMovesTheClipAndKeepsItInTheServerState() {
        // Update norms grow from ~sqrt(d) to 4 sqrt(d) = 4 to 16; the clip starts at 0.1 and must climb.
        Map<String, Fixed> members = members(40, 16, 1, 5);
        LocalFederation dp = federation(protocol(Map.of("noiseMultiplier", 0.5, "adaptiveClipping", true,
                "clippedCountStddev", 1.0, "delta", 1e-5), "poisson", 1.0, 40), members);
        double clip = 0.1;
        for (int r = 1; r <= 40; r++) {
            LocalFederation.RoundReport report = dp.runRound(r);
            assertEquals(clip, report.metrics().get("dp.clip"), 1e-12, "round " + r + " clips to the stored clip");
            clip = dp.serverState().scalar(CentralPrivacy.CLIP, Double.NaN);
        }
        // The median of the norms is between 4 and 16 (|N(0, s^2 I_16)| ~ 4 s for s = 1..4).
        assertTrue(clip > 4 && clip < 16, "clip after 40 rounds " + clip);
    }

    @Test
    void aTargetEpsilonIsPlannedOverTheFederationsRounds() {
        RoundProtocol protocol = protocol(Map.of("targetEpsilon", 3.0, "clipNorm", 1.0, "delta", 1e-5), "poisson",
                0.2, 50);
        double planned = new NoiseMultiplierPlanner().noiseMultiplier(0.2, 10, 3.0, 1e-5);
        assertEquals(planned, protocol.privacy().orElseThrow().settings().noiseMultiplier());
        assertEquals(3.0, protocol.privacy().orElseThrow().settings().epsilon(), "the target is the budget");
    }

    @Nested
    class Refusals {

        private final Map<String, Object> valid = Map.of("noiseMultiplier", 1.0, "clipNorm", 1.0, "delta", 1e-5);

        private String refusal(Map<String, Object> strategyParams, Map<String, ?> update, Map<String, ?> robustness,
                               Map<String, Object> privacy, String sampler, double fraction, int minClients) {
            return assertThrows(IllegalArgumentException.class, () -> RoundConfig.configure("fedavg", strategyParams,
                    Map.of(), update, robustness, privacy, new RoundConfig.Sampling(sampler, fraction, minClients, 100),
                    10)).getMessage();
        }

        private String privacyRefusal(String field, Object value) {
            Map<String, Object> privacy = new HashMap<>(valid);
            privacy.put(field, value);
            return refusal(UNIFORM, Map.of(), Map.of(), privacy, "poisson", 0.5, 1);
        }

        @Test
        void badPrivacyParametersNameTheirField() {
            assertTrue(privacyRefusal("noiseMultiplier", -1).startsWith("privacy.noiseMultiplier"));
            assertTrue(privacyRefusal("clipNorm", 0).startsWith("privacy.clipNorm"));
            assertTrue(privacyRefusal("samplingRate", 1.5).startsWith("privacy.samplingRate"));
            assertTrue(privacyRefusal("samplingRate", 0).startsWith("privacy.samplingRate"));
            assertTrue(privacyRefusal("delta", 1).startsWith("privacy.delta"));
            assertTrue(privacyRefusal("delta", 0).startsWith("privacy.delta"));
            assertTrue(privacyRefusal("epsilon", -2).startsWith("privacy.epsilon"));
            assertTrue(privacyRefusal("denominator", "median").startsWith("privacy.denominator"));
            assertTrue(privacyRefusal("targetEpsilon", 2).startsWith("privacy:"), "sigma and a target: which?");
            assertTrue(privacyRefusal("targetQuantile", 0.5).startsWith("privacy.adaptiveClipping"));
            assertTrue(privacyRefusal("bogus", 1).startsWith("privacy: unknown field"));
            assertTrue(privacyRefusal("samplingRate", 0.25).startsWith("privacy.samplingRate 0.25 differs"));
        }

        @Test
        void deltaMustBeBelowOneOverTheClients() {
            String m = refusal(UNIFORM, Map.of(), Map.of(), valid, "poisson", 0.5, 200_000);
            assertTrue(m.startsWith("privacy.delta"), m);
        }

        @Test
        void aCountNoiseTooSmallForTheMultiplierIsRefused() {
            Map<String, Object> adaptive = Map.of("noiseMultiplier", 3.0, "adaptiveClipping", true,
                    "clippedCountStddev", 1.0, "delta", 1e-5);
            assertTrue(refusal(UNIFORM, Map.of(), Map.of(), adaptive, "poisson", 0.5, 1)
                    .startsWith("privacy.noiseMultiplier"));
        }

        @Test
        void theRestOfTheConfigMustSuitTheAccountant() {
            assertTrue(refusal(UNIFORM, Map.of(), Map.of(), valid, "uniform", 0.5, 1).startsWith("schedule.sampler"));
            assertTrue(refusal(UNIFORM, Map.of(), Map.of(), valid, "bernoulli", 0.5, 1).startsWith("schedule.sampler"));
            assertTrue(refusal(Map.of(), Map.of(), Map.of(), valid, "poisson", 0.5, 1)
                    .startsWith("strategy.params.weighting"));
            assertTrue(refusal(UNIFORM, Map.of(), Map.of("aggregator", "median"), valid, "poisson", 0.5, 1)
                    .startsWith("robustness.aggregator"));
            assertTrue(refusal(UNIFORM, Map.of("clipNorm", 1.0), Map.of(), valid, "poisson", 0.5, 1)
                    .startsWith("update.clipNorm"));
            assertTrue(refusal(UNIFORM, Map.of("codec", "bf16"), Map.of(), valid, "poisson", 0.5, 1)
                    .startsWith("update.codec"));
            Map<String, Object> noDelta = new HashMap<>(valid);
            noDelta.remove("delta");
            assertTrue(refusal(UNIFORM, Map.of(), Map.of(), noDelta, "poisson", 0.5, 1).startsWith("privacy.delta"));
        }
    }
}
