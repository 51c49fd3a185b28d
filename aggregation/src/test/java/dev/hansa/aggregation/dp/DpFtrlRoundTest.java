package dev.hansa.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.round.LocalFederation;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.privacy.accounting.TreeAccountant;
import dev.hansa.privacy.accounting.TreeAggregationEvent;
import dev.hansa.privacy.mechanism.DpFtrlSettings;
import dev.hansa.privacy.mechanism.L2Clip;
import dev.hansa.privacy.noise.GaussianNoise;
import dev.hansa.privacy.tree.DerivedNodeNoise;
import dev.hansa.privacy.tree.TreeNoise;
import dev.hansa.privacy.tree.TreeVariant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * DP-FTRL through the round protocol: the model carries exactly the tree's prefix noise, the participation limit
 * keeps clients out of a tree, a restart zeroes the server optimizer's momentum, a fresh stage continues the same
 * noise, the accountant matches the reference vectors, and every bad setting is refused naming its field.
 * FedAvg with server learning rate 1 from the zero model, so the model after t rounds is the sum of the releases / n.
 */
class DpFtrlRoundTest {

    private static final Map<String, Object> UNIFORM = Map.of("weighting", "uniform");
    private static final long SEED = 7;

    /** Trains to a fixed update and records the rounds it trained in. */
    private record Fixed(ModelSpec spec, float[] update, List<Long> rounds) implements LocalFederation.Member {
        @Override
        public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state) {
            synchronized (rounds) {
                rounds.add(plan.seed());
            }
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
                u[j] = (float) (random.nextGaussian() * scale);
            }
            out.put(String.format("c%03d", i), new Fixed(spec, u, new ArrayList<>()));
        }
        return out;
    }

    private static Map<String, Object> ftrl(Object... more) {
        Map<String, Object> privacy = new HashMap<>(Map.of("mechanism", "dp-ftrl", "noiseMultiplier", 1.5,
                "clipNorm", 1.0, "delta", 1e-5, "clientsPerRound", 4));
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                privacy.remove((String) more[i]);
            } else {
                privacy.put((String) more[i], more[i + 1]);
            }
        }
        return privacy;
    }

    private static RoundProtocol protocol(String strategy, Map<String, Object> params, Map<String, ?> privacy,
                                          int clients) {
        return RoundConfig.configure(strategy, params, Map.of(), Map.of(), Map.of(), privacy,
                new RoundConfig.Sampling("uniform", 1.0, 1, clients), 12).protocol()
                .withTreeSecret(TreePrivacy.seededSecret(SEED));
    }

    private static LocalFederation federation(RoundProtocol protocol, Map<String, Fixed> members) {
        ModelSpec spec = members.values().iterator().next().spec();
        return new LocalFederation(protocol, SEED, members, Tensors.zeros(spec), LocalFederation.Executor.SEQUENTIAL);
    }

    @Test
    void theModelCarriesExactlyTheTreesPrefixNoise() {
        // All-zero updates: after t rounds the model is g round(N_t) / n, recomputed here from the same secret.
        int d = 64;
        for (String tree : new String[] {"efficient", "plain"}) {
            LocalFederation dp = federation(protocol("fedavg", UNIFORM, ftrl("tree", tree), 8), members(8, d, 0, 1));
            DpFtrlSettings settings = new DpFtrlSettings(1.5, 1.0, TreeVariant.valueOf(tree.toUpperCase()),
                    dev.hansa.privacy.tree.RestartSchedule.NONE, 1, 0, 4, Double.POSITIVE_INFINITY, 1e-5);
            GaussianNoise.Calibration calibration = GaussianNoise.calibrate(1.0, 1.5, d);
            TreeNoise reference = new TreeNoise(settings.variant(),
                    new DerivedNodeNoise(TreePrivacy.seededSecret(SEED), calibration, d), d);
            for (int t = 1; t <= 2; t++) {
                LocalFederation.RoundReport report = dp.runRound(t);
                assertEquals(4, report.participants(), "n = 4 of the 8 eligible");
                double[] prefix = reference.prefix(1, t);
                for (int i = 0; i < d; i++) {
                    double expected = Math.floor(prefix[i] + 0.5) * calibration.granularity() / 4;
                    assertEquals(expected, dp.model().values()[i], 1e-6 * Math.abs(expected) + 1e-7,
                            tree + " t=" + t + " i=" + i);
                }
                assertEquals(calibration.stddev() * Math.sqrt(settings.variant().prefixVariance(t)),
                        report.metrics().get("dp.prefix_noise_stddev"), 1e-12);
                assertEquals(4.0, report.metrics().get("dp.denominator"));
                assertFalse(report.metrics().containsKey("train_loss"), "client metric means are not released");
            }
        }
    }

    @Test
    void updatesAreClippedAndTheirSumKept() {
        // Large updates, clip 1: the mean of the released sums over rounds approaches the mean clipped update.
        Map<String, Fixed> members = members(4, 16, 3, 2);
        RoundProtocol protocol = protocol("fedavg", UNIFORM, ftrl("noiseMultiplier", 1e-3, "maxParticipations", 2),
                4);
        RoundProtocol.Opened round = protocol.open(SEED, 1, 1, List.copyOf(members.keySet()), 4,
                Tensors.zeros(members.get("c000").spec()), State.EMPTY, Contributions.NONE);
        for (String id : round.participants()) {
            assertEquals(1.0, round.plan().plans().get(id).update().clipNorm());
        }
        LocalFederation dp = federation(protocol, members);
        dp.runRound(1);
        float[] expected = new float[16];
        for (Fixed m : members.values()) {
            float[] u = m.update();
            double scale = Math.min(1, 1 / L2Clip.norm(u));
            for (int i = 0; i < 16; i++) {
                expected[i] += (float) (u[i] * scale / 4);
            }
        }
        assertArrayEquals(expected, dp.model().values(), 2e-3f);
    }

    @Test
    void theParticipationLimitKeepsClientsOutOfATreeUntilItRestarts() {
        // 8 clients, 4 per round, at most once per tree, a tree every 2 rounds: rounds 1 and 2 take disjoint halves,
        // round 3 starts a new tree and everyone is eligible again.
        Map<String, Fixed> members = members(8, 4, 1, 3);
        RoundProtocol protocol = protocol("fedavg", UNIFORM, ftrl("restartEvery", 2), 8);
        LocalFederation dp = federation(protocol, members);
        for (int t = 1; t <= 4; t++) {
            assertEquals(4, dp.runRound(t).participants(), "round " + t);
        }
        for (Fixed m : members.values()) {
            assertEquals(2, m.rounds().size(), "once per tree, two trees");
        }
        Contributions history = id -> List.of(1);
        assertEquals(List.of(), protocol.eligible(List.of("a", "b"), history, 2), "same tree");
        assertEquals(List.of("a", "b"), protocol.eligible(List.of("a", "b"), history, 3), "next tree");
    }

    @Test
    void aSeparationAndACountBoundEachClient() {
        RoundProtocol protocol = protocol("fedavg", UNIFORM, ftrl("maxParticipations", 2, "minSeparation", 3), 8);
        List<String> one = List.of("a");
        assertEquals(List.of(), protocol.eligible(one, id -> List.of(2), 5), "only 2 rounds between");
        assertEquals(one, protocol.eligible(one, id -> List.of(2), 6), "3 rounds between");
        assertEquals(List.of(), protocol.eligible(one, id -> List.of(2, 6), 12), "2 contributions already");
        assertThrows(IllegalStateException.class, () -> protocol.open(SEED, 1, 1, one, 1,
                Tensors.zeros(ModelSpec.of(new TensorSpec("w", new int[] {1}))), State.EMPTY));
    }

    @Test
    void aRestartStartsTheServerOptimizerAfresh() {
        Map<String, Fixed> members = members(6, 8, 1, 4);
        Map<String, Object> params = Map.of("weighting", "uniform", "serverMomentum", 0.9);
        LocalFederation dp = federation(protocol("fedavgm", params, ftrl("restartEvery", 3, "clientsPerRound", 2,
                "maxParticipations", 3), 6), members);
        for (int t = 1; t <= 6; t++) {
            dp.runRound(t);
            boolean zero = dp.serverState().tensors().values().stream()
                    .allMatch(v -> L2Clip.norm(v.values()) == 0);
            assertEquals(t % 3 == 0, zero, "momentum after round " + t);
        }
    }

    @Test
    void aFreshStageContinuesTheSameNoise() {
        // As a restarted server: a new stage from the same secret releases round 5 exactly as the running one.
        DpFtrlSettings settings = protocol("fedavg", UNIFORM, ftrl(), 8).tree().orElseThrow().settings();
        TreePrivacy running = new TreePrivacy(settings).withSecret(TreePrivacy.seededSecret(SEED));
        RoundAggregate sum = new RoundAggregate(Map.of("default", new GroupAggregate(new double[] {0.5, -1, 2},
                4, 4, 20, Map.of())));
        double[] last = null;
        for (int t = 1; t <= 5; t++) {
            last = running.release(new RoundContext(t, 8, 4, t), sum).aggregate().byRole().get("default").sum();
        }
        TreePrivacy restarted = new TreePrivacy(settings).withSecret(TreePrivacy.seededSecret(SEED));
        assertArrayEquals(last, restarted.release(new RoundContext(5, 8, 4, 99), sum).aggregate().byRole()
                .get("default").sum());
        TreePrivacy otherSecret = new TreePrivacy(settings).withSecret(TreePrivacy.seededSecret(SEED + 1));
        assertFalse(java.util.Arrays.equals(last, otherSecret.release(new RoundContext(5, 8, 4, 5), sum).aggregate()
                .byRole().get("default").sum()));
        String failed = assertThrows(IllegalStateException.class, () -> new TreePrivacy(settings)
                .release(new RoundContext(1, 8, 4, 1), sum)).getMessage();
        assertTrue(failed.contains("secret"), failed);
    }

    @Test
    void theAccountantFollowsTheRestartsAndThePlannerHitsTheTarget() {
        DpFtrlSettings settings = protocol("fedavg", UNIFORM, ftrl("noiseMultiplier", 1.0, "restartEvery", 400), 8)
                .tree().orElseThrow().settings();
        TreeAccountant four = TreeAccountant.empty();
        for (int k = 0; k < 4; k++) {
            four = four.compose(TreeAggregationEvent.once(1.0, 400));
        }
        assertEquals(four.epsilon(1e-5), settings.accountant(1600).epsilon(1e-5), 1e-12);
        assertEquals(45.25, settings.accountant(1600).epsilon(1e-5), 0.005, "DP_MORE 1.10");
        assertTrue(settings.accountant(401).epsilon(1e-5) > settings.accountant(400).epsilon(1e-5));

        DpFtrlSettings planned = protocol("fedavg", UNIFORM, ftrl("noiseMultiplier", null, "targetEpsilon", 4.0,
                "restartEvery", 5), 8).tree().orElseThrow().settings();
        assertEquals(4.0, planned.accountant(12).epsilon(1e-5), 1e-4, "planned over the 12 rounds");
        assertEquals(4.0, planned.epsilon(), "the target is the budget");
        assertTrue(planned.refusal(11).isEmpty());
        // Round 13 is leaf 3 of the third tree: depth 2, as for leaf 2, so it costs nothing more; round 14 does.
        assertTrue(planned.refusal(12).isEmpty());
        assertTrue(planned.refusal(13).orElseThrow().startsWith("privacy budget"));
    }

    @Nested
    class Refusals {

        private String refusal(Map<String, Object> params, Map<String, ?> update, Map<String, Object> privacy,
                               String sampler, double fraction, int minClients) {
            return assertThrows(IllegalArgumentException.class, () -> RoundConfig.configure("fedavg", params,
                    Map.of(), update, Map.of(), privacy, new RoundConfig.Sampling(sampler, fraction, minClients, 100),
                    10)).getMessage();
        }

        private String privacyRefusal(Object... fields) {
            return refusal(UNIFORM, Map.of(), ftrl(fields), "uniform", 1, 1);
        }

        @Test
        void badParametersNameTheirField() {
            assertTrue(privacyRefusal("noiseMultiplier", 0).startsWith("privacy.noiseMultiplier"));
            assertTrue(privacyRefusal("clipNorm", -1).startsWith("privacy.clipNorm"));
            assertTrue(privacyRefusal("clientsPerRound", 0).startsWith("privacy.clientsPerRound"));
            assertTrue(privacyRefusal("clientsPerRound", null).startsWith("privacy.clientsPerRound is required"));
            assertTrue(privacyRefusal("delta", 1).startsWith("privacy.delta"));
            assertTrue(privacyRefusal("tree", "binary").startsWith("privacy.tree"));
            assertTrue(privacyRefusal("restartEvery", -1).startsWith("privacy.restartEvery"));
            assertTrue(privacyRefusal("restartEvery", 4, "restartWarmup", 4).startsWith("privacy.restartWarmup"));
            assertTrue(privacyRefusal("maxParticipations", 0).startsWith("privacy.maxParticipations"));
            assertTrue(privacyRefusal("minSeparation", -1).startsWith("privacy.minSeparation"));
            assertTrue(privacyRefusal("epsilon", 0).startsWith("privacy.epsilon"));
            assertTrue(privacyRefusal("targetEpsilon", 2).startsWith("privacy:"), "sigma and a target: which?");
            assertTrue(privacyRefusal("adaptiveClipping", true).startsWith("privacy: unknown field"));
            assertTrue(privacyRefusal("mechanism", "dp-sgd").startsWith("privacy.mechanism"));
        }

        @Test
        void theRestOfTheConfigMustSuitTheTree() {
            assertTrue(refusal(UNIFORM, Map.of(), ftrl(), "poisson", 0.5, 1).startsWith("schedule.sampler"));
            assertTrue(refusal(UNIFORM, Map.of(), ftrl(), "uniform", 0.5, 1).startsWith("schedule.sampler"));
            assertTrue(refusal(UNIFORM, Map.of(), ftrl(), "uniform", 1, 5).startsWith("privacy.clientsPerRound"));
            assertTrue(refusal(UNIFORM, Map.of(), ftrl("clientsPerRound", 300_000), "uniform", 1, 200_000)
                    .startsWith("privacy.delta"));
            assertTrue(refusal(Map.of(), Map.of(), ftrl(), "uniform", 1, 1).startsWith("strategy.params.weighting"));
            assertTrue(refusal(UNIFORM, Map.of("codec", "bf16"), ftrl(), "uniform", 1, 1).startsWith("update.codec"));
            String diff2 = assertThrows(IllegalArgumentException.class, () -> RoundConfig.configure("diff2",
                    Map.of(), Map.of(), Map.of(), Map.of(), ftrl(), new RoundConfig.Sampling("uniform", 1, 1, 100),
                    10)).getMessage();
            assertTrue(diff2.startsWith("privacy.mechanism: dp-ftrl does not apply to strategy diff2"), diff2);
        }
    }
}
