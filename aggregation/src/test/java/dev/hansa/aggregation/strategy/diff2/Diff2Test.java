package dev.hansa.aggregation.strategy.diff2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.dp.CentralPrivacy;
import dev.hansa.aggregation.dp.NoiseSource;
import dev.hansa.aggregation.round.LocalFederation;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.privacy.accounting.RdpAccountant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * DIFF2 through the round protocol on quadratic clients, checked against a double-precision recomputation of the
 * rule in docs/algorithms.md written here from the clients' closed-form gradients: restart rounds, difference rounds,
 * the clips of both kinds of round, the noise, the accounting of the two kinds and the config's refusals.
 */
class Diff2Test {

    private static final int CLIENTS = 5;
    private static final int D = 4;

    private static Map<String, QuadraticModel> clients() {
        Map<String, QuadraticModel> clients = new LinkedHashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.put("client-" + i, QuadraticModel.random(7 + 2 * i, D, 40 + i));
        }
        return clients;
    }

    private static RoundConfig.Configured configure(Map<String, Object> params, Map<String, ?> privacy) {
        return RoundConfig.configure("diff2", params, Map.of("batchSize", 3), Map.of(), Map.of(), privacy,
                new RoundConfig.Sampling("poisson", 1.0, 1, CLIENTS), 20);
    }

    private static LocalFederation federation(RoundProtocol protocol, Map<String, QuadraticModel> clients,
                                              double[] initial) {
        ClientOptimizer optimizer = Strategies.clientOptimizer("diff2");
        Map<String, LocalFederation.Member> members = new LinkedHashMap<>();
        clients.forEach((id, objective) -> members.put(id, LocalFederation.Member.of(optimizer, objective)));
        float[] x0 = new float[initial.length];
        for (int j = 0; j < x0.length; j++) {
            x0[j] = (float) initial[j];
        }
        return new LocalFederation(protocol.withNoise(NoiseSource.SEEDED), 9, members,
                new Tensors(clients.values().iterator().next().spec(), x0), LocalFederation.Executor.SEQUENTIAL);
    }

    /** The rule in double: clip radii by round kind (infinite: no clipping), sum over clients, divide by N. */
    private static final class Reference {
        final Map<String, QuadraticModel> clients;
        final int period;
        final double eta;
        final double c1;
        final double c2;
        double[] x;
        double[] previous;
        double[] v;
        double clip;

        Reference(Map<String, QuadraticModel> clients, int period, double eta, double c1, double c2, double[] x0) {
            this.clients = clients;
            this.period = period;
            this.eta = eta;
            this.c1 = c1;
            this.c2 = c2;
            this.x = x0.clone();
            this.previous = x0.clone();
            this.v = new double[x0.length];
        }

        void round(int r) {
            boolean restart = (r - 1) % period == 0;
            clip = restart ? c1 : c2 * norm(minus(x, previous));
            double[] sum = new double[x.length];
            for (QuadraticModel c : clients.values()) {
                double[] g = c.gradient(x, c.allRows());
                double[] u = restart ? g : minus(g, c.gradient(previous, c.allRows()));
                double scale = Double.isInfinite(clip) ? 1 : Math.min(1, clip / norm(u));
                for (int j = 0; j < u.length; j++) {
                    sum[j] += scale * u[j];
                }
            }
            for (int j = 0; j < x.length; j++) {
                v[j] = (restart ? 0 : v[j]) + sum[j] / clients.size();
            }
            previous = x.clone();
            for (int j = 0; j < x.length; j++) {
                x[j] -= eta * v[j];
            }
        }

        static double[] minus(double[] a, double[] b) {
            double[] out = new double[a.length];
            for (int j = 0; j < a.length; j++) {
                out[j] = a[j] - b[j];
            }
            return out;
        }

        static double norm(double[] a) {
            double s = 0;
            for (double v : a) {
                s += v * v;
            }
            return Math.sqrt(s);
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        double scale = Reference.norm(expected);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-5 * Math.max(1, scale), what + " [" + j + "]");
        }
    }

    private static final double[] X0 = {0.5, -1.0, 2.0, 0.25};

    @Test
    void withoutPrivacyEveryRoundIsTheRecursiveEstimatorsGradientStep() {
        Map<String, QuadraticModel> clients = clients();
        RoundProtocol protocol = RoundConfig.configure("diff2", Map.of("restartPeriod", 3, "serverLearningRate", 0.2),
                Map.of("batchSize", 3), Map.of(), Map.of(), new RoundConfig.Sampling("uniform", 1.0, 1, CLIENTS))
                .protocol();
        LocalFederation federation = federation(protocol, clients, X0);
        Reference reference = new Reference(clients, 3, 0.2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, X0);
        for (int r = 1; r <= 7; r++) {
            LocalFederation.RoundReport report = federation.runRound(r);
            reference.round(r);
            assertClose(reference.x, federation.model().values(), "x after round " + r);
            assertClose(reference.v, federation.serverState().require(Diff2.V, federation.model().spec()),
                    "v after round " + r);
            assertEquals((r - 1) % 3 == 0 ? 1.0 : 0.0, report.metrics().get("diff2.restart"), "round " + r);
            assertEquals(Reference.norm(Reference.minus(reference.x, reference.previous)),
                    report.metrics().get("diff2.step"), 1e-5, "step of round " + r);
        }
    }

    @Test
    void withoutClippingOrNoiseTheDifferencesTelescopeToGradientDescent() {
        // Between restarts v_r = v_{r-1} + mean difference equals the mean gradient at x_{r-1} exactly when nothing
        // is clipped (the sum telescopes), so the rule must differ from DP-GD only by clipping and noise; a period of
        // 1 (DP-GD) must then land on the same model as a period of 4 without privacy.
        Map<String, QuadraticModel> clients = clients();
        float[] gd = run(clients, 1, 5);
        float[] diff2 = run(clients, 4, 5);
        for (int j = 0; j < D; j++) {
            assertEquals(gd[j], diff2[j], 1e-5, "coordinate " + j);
        }
    }

    private static float[] run(Map<String, QuadraticModel> clients, int period, int rounds) {
        LocalFederation federation = federation(RoundConfig.configure("diff2", Map.of("restartPeriod", period,
                "serverLearningRate", 0.2), Map.of("batchSize", 3), Map.of(), Map.of(),
                new RoundConfig.Sampling("uniform", 1.0, 1, CLIENTS)).protocol(), clients, X0);
        for (int r = 1; r <= rounds; r++) {
            federation.runRound(r);
        }
        return federation.model().values();
    }

    @Test
    void withPrivacyBothKindsOfRoundClipToTheirRadiusAndTheSumIsOverTheExpectedCount() {
        // z = 0: the clipping and the denominator alone, checked against the reference; C1 and C2 clip most updates.
        Map<String, QuadraticModel> clients = clients();
        RoundProtocol protocol = configure(Map.of("restartPeriod", 3, "serverLearningRate", 0.2),
                Map.of("noiseMultiplier", 0.0, "clipNorm", 0.5, "differenceClipFactor", 0.8, "delta", 1e-3))
                .protocol();
        LocalFederation federation = federation(protocol, clients, X0);
        Reference reference = new Reference(clients, 3, 0.2, 0.5, 0.8, X0);
        for (int r = 1; r <= 7; r++) {
            LocalFederation.RoundReport report = federation.runRound(r);
            reference.round(r);
            assertEquals(reference.clip, report.metrics().get("dp.clip"), 1e-6 * reference.clip, "clip of round " + r);
            assertEquals(CLIENTS, report.metrics().get("dp.denominator"), "q N with q = 1");
            assertClose(reference.x, federation.model().values(), "x after round " + r);
        }
    }

    @Test
    void eachKindOfRoundGetsItsOwnMultiplierTimesItsClip() {
        Map<String, QuadraticModel> clients = clients();
        RoundProtocol protocol = configure(Map.of("restartPeriod", 2, "serverLearningRate", 0.2),
                Map.of("noiseMultiplier", 0.3, "differenceNoiseMultiplier", 0.7, "clipNorm", 0.5,
                        "differenceClipFactor", 0.8, "delta", 1e-3)).protocol();
        LocalFederation federation = federation(protocol, clients, X0);
        double step = 0;
        for (int r = 1; r <= 4; r++) {
            LocalFederation.RoundReport report = federation.runRound(r);
            double clip = r % 2 == 1 ? 0.5 : 0.8 * step;
            double z = r % 2 == 1 ? 0.3 : 0.7;
            assertEquals(clip, report.metrics().get("dp.clip"), 1e-9, "round " + r);
            // The grid calibration raises the standard deviation by far less than 1e-4 relative here.
            assertEquals(z * clip, report.metrics().get("dp.noise_stddev"), 1e-4 * z * clip, "round " + r);
            step = federation.serverState().scalar(Diff2.STEP, Double.NaN);
            assertTrue(step > 0, "a noisy step moves the model");
        }
    }

    @Test
    void theAccountantComposesTheTwoKindsOfRound() {
        CentralPrivacy privacy = configure(Map.of("restartPeriod", 3), Map.of("noiseMultiplier", 1.1,
                "differenceNoiseMultiplier", 2.5, "clipNorm", 1.0, "differenceClipFactor", 1.0, "delta", 1e-5,
                "samplingRate", 1.0)).protocol().privacy().orElseThrow();
        List<Double> sigmas = List.of(1.1, 2.5, 2.5, 1.1, 2.5, 2.5, 1.1);
        RdpAccountant rounds = RdpAccountant.empty();
        for (int r = 1; r <= sigmas.size(); r++) {
            assertEquals(sigmas.get(r - 1), privacy.event(r).sigma(), "round " + r);
            assertEquals(1.0, privacy.event(r).q());
            rounds = rounds.compose(privacy.event(r));
        }
        double phases = RdpAccountant.empty().compose(1.0, 1.1, 3).compose(1.0, 2.5, 4).epsilon(1e-5);
        assertEquals(phases, rounds.epsilon(1e-5), 1e-12, "RDP adds per order whatever the order of the rounds");
        double budget = (rounds.epsilon(1e-5) + rounds.compose(privacy.event(8)).epsilon(1e-5)) / 2;
        CentralPrivacy limited = configure(Map.of("restartPeriod", 3), Map.of("noiseMultiplier", 1.1,
                "differenceNoiseMultiplier", 2.5, "clipNorm", 1.0, "differenceClipFactor", 1.0, "delta", 1e-5,
                "epsilon", budget)).protocol().privacy().orElseThrow();
        assertEquals(Optional.empty(), limited.refusal(RdpAccountant.empty().compose(1.0, 1.1, 2)
                .compose(1.0, 2.5, 4), 7), "round 7 fits");
        assertTrue(limited.refusal(rounds, 8).isPresent(), "round 8 does not");
    }

    @Test
    void aTargetEpsilonPlansOneMultiplierForBothKinds() {
        CentralPrivacy privacy = configure(Map.of("restartPeriod", 4), Map.of("targetEpsilon", 2.0, "clipNorm", 1.0,
                "differenceClipFactor", 1.0, "delta", 1e-5)).protocol().privacy().orElseThrow();
        assertEquals(privacy.event(1).sigma(), privacy.event(2).sigma());
        assertEquals(2.0, RdpAccountant.empty().compose(privacy.event(1).q(), privacy.event(1).sigma(), 20)
                .epsilon(1e-5), 1e-3);
    }

    @Test
    void aZeroStepGivesTheSmallestClipNotNone() {
        Map<String, QuadraticModel> clients = new LinkedHashMap<>();
        clients.put("client-0", new QuadraticModel(new double[][] {{1, 0, 0, 0}}, new double[] {0}));
        RoundProtocol protocol = configure(Map.of("restartPeriod", 5), Map.of("noiseMultiplier", 0.0,
                "clipNorm", 2.0, "differenceClipFactor", 1.0, "delta", 1e-3)).protocol();
        LocalFederation federation = federation(protocol, clients, new double[D]);
        federation.runRound(1);
        assertEquals(0.0, federation.serverState().scalar(Diff2.STEP, Double.NaN), "a zero gradient at 0");
        LocalFederation.RoundReport second = federation.runRound(2);
        assertEquals(2.0 * Diff2Noise.MIN_CLIP_SHARE, second.metrics().get("dp.clip"));
        assertFalse(second.metrics().values().stream().anyMatch(v -> v.isNaN()), second.metrics().toString());
    }

    @Nested
    class Refusals {

        private String refusal(String strategy, Map<String, Object> params, Map<String, Object> training,
                               Map<String, Object> privacy) {
            return assertThrows(IllegalArgumentException.class, () -> RoundConfig.configure(strategy, params,
                    training, Map.of(), Map.of(), privacy, new RoundConfig.Sampling("poisson", 0.5, 1, 100), 10))
                    .getMessage();
        }

        private final Map<String, Object> valid = Map.of("noiseMultiplier", 1.0, "clipNorm", 1.0,
                "differenceClipFactor", 2.0, "delta", 1e-5);

        private String privacyRefusal(String field, Object value) {
            Map<String, Object> privacy = new HashMap<>(valid);
            if (value == null) {
                privacy.remove(field);
            } else {
                privacy.put(field, value);
            }
            return refusal("diff2", Map.of(), Map.of(), privacy);
        }

        @Test
        void everyBadFieldIsNamed() {
            assertTrue(privacyRefusal("differenceClipFactor", null).startsWith("privacy.differenceClipFactor is "
                    + "required"));
            assertTrue(privacyRefusal("differenceClipFactor", 0).startsWith("privacy.differenceClipFactor"));
            assertTrue(privacyRefusal("differenceClipFactor", "big").startsWith("privacy.differenceClipFactor"));
            assertTrue(privacyRefusal("differenceNoiseMultiplier", -1).startsWith("privacy.differenceNoiseMultiplier"));
            assertTrue(privacyRefusal("adaptiveClipping", true).startsWith("privacy.adaptiveClipping"));
            Map<String, Object> planned = new HashMap<>(valid);
            planned.remove("noiseMultiplier");
            planned.put("targetEpsilon", 3.0);
            planned.put("differenceNoiseMultiplier", 2.0);
            assertTrue(refusal("diff2", Map.of(), Map.of(), planned).startsWith("privacy.differenceNoiseMultiplier"));
            assertTrue(refusal("fedavg", Map.of("weighting", "uniform"), Map.of(), valid)
                    .startsWith("privacy.differenceClipFactor applies to strategy diff2 only"));
            assertTrue(refusal("diff2", Map.of(), Map.of(), Map.of("differenceClipFactor", 1.0))
                    .startsWith("privacy.differenceClipFactor needs"));
            assertTrue(refusal("diff2", Map.of("restartPeriod", 0), Map.of(), valid)
                    .startsWith("strategy.params.restartPeriod"));
            assertTrue(refusal("diff2", Map.of("serverLearningRate", -1), Map.of(), valid)
                    .startsWith("strategy.params.serverLearningRate"));
            assertTrue(refusal("diff2", Map.of(), Map.of("params", Map.of("momentum", 0.9)), valid)
                    .startsWith("training.params"));
            assertTrue(refusal("diff2", Map.of(), Map.of(), Map.of(), Map.of("aggregator", "median"))
                    .startsWith("robustness.aggregator"));
        }

        private String refusal(String strategy, Map<String, Object> params, Map<String, Object> training,
                               Map<String, Object> privacy, Map<String, Object> robustness) {
            return assertThrows(IllegalArgumentException.class, () -> RoundConfig.configure(strategy, params,
                    training, Map.of(), robustness, privacy, new RoundConfig.Sampling("poisson", 0.5, 1, 100), 10))
                    .getMessage();
        }
    }
}
