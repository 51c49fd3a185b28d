package dev.hansa.client.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.RandomDatasets;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.client.training.PerExampleClipping;
import dev.hansa.client.training.PerExampleObjective;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.JavaBackend;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LocalDpSgdTest {

    private final Backend backend = new JavaBackend();

    private static LocalDpConfig config(double sigma, double clip, double epsilon, PerExampleClipping clipping) {
        return new LocalDpConfig(sigma, clip, 1e-5, epsilon, clipping, true);
    }

    private static TrainingPlan plan(int steps, int batchSize, double lr, long seed) {
        return new TrainingPlan("fedavg", "train", 0, steps, batchSize, lr, seed, Map.of());
    }

    private LocalResult train(DenseNetwork net, Dataset data, Tensors global, LocalDpConfig config,
                              LocalPrivacyAccount account, TrainingPlan plan) {
        return new LocalDpSgd("fedavg", config, account).train(net.bind(data, backend), global, plan,
                Optional.empty(), State.EMPTY);
    }

    /** The clipped sum straight from the model (itself checked against a double recomputation). */
    private float[] clippedSum(DenseNetwork net, Dataset data, Tensors at, double clip) {
        PerExampleObjective objective = net.bind(data, backend);
        int[] all = java.util.stream.IntStream.range(0, data.size()).toArray();
        try (FloatArray p = backend.upload(at.values()); FloatArray out = backend.allocate(at.values().length)) {
            objective.clippedGradientSum(p, all, clip, PerExampleClipping.GHOST, out);
            return out.toHost();
        }
    }

    @Test
    void withEveryExampleSampledAStepIsTheClippedSumOverTheExpectedBatchPlusNoise() {
        // q = 1 (batch >= n): every example is in the batch, so the step's noise is the update minus the known part.
        DenseNetwork net = DenseNetwork.softmaxRegression(784, 10);
        Dataset data = RandomDatasets.uniform(40, 784, 10, 1);
        Tensors global = net.initialize(3);
        double sigma = 0.7;
        double clip = 0.5;
        LocalResult r = train(net, data, global, config(sigma, clip, Double.POSITIVE_INFINITY,
                PerExampleClipping.GHOST), new LocalPrivacyAccount(1e-5, Double.POSITIVE_INFINITY),
                plan(1, 64, 2.0, 11));
        float[] sum = clippedSum(net, data, global, clip);
        float[] update = r.update().values();
        double mean = 0;
        double square = 0;
        for (int i = 0; i < update.length; i++) {
            // update = -lr (sum + noise) / n  =>  noise = -update n / lr - sum
            double noise = -update[i] * 40 / 2.0 - sum[i];
            mean += noise;
            square += noise * noise;
        }
        mean /= update.length;
        double std = Math.sqrt(square / update.length - mean * mean);
        // 7,850 draws: the sample std is within 3% of sigma C (its standard error is 0.8%), the mean near 0.
        assertEquals(sigma * clip, std, 0.03 * sigma * clip);
        assertEquals(0, mean, 4 * sigma * clip / Math.sqrt(update.length));
    }

    @Test
    void naiveAndGhostClippingTrainTheSameModel() {
        DenseNetwork net = DenseNetwork.mlp(23, new int[] {9}, 5);
        Dataset data = RandomDatasets.uniform(200, 23, 5, 2);
        Tensors global = net.initialize(4);
        TrainingPlan plan = plan(30, 16, 0.1, 99);
        float[] naive = train(net, data, global, config(1.0, 0.3, Double.POSITIVE_INFINITY, PerExampleClipping.NAIVE),
                new LocalPrivacyAccount(1e-5, Double.POSITIVE_INFINITY), plan).update().values();
        float[] ghost = train(net, data, global, config(1.0, 0.3, Double.POSITIVE_INFINITY, PerExampleClipping.GHOST),
                new LocalPrivacyAccount(1e-5, Double.POSITIVE_INFINITY), plan).update().values();
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < naive.length; i++) {
            diff += (naive[i] - ghost[i]) * (naive[i] - ghost[i]);
            ref += naive[i] * naive[i];
        }
        assertTrue(Math.sqrt(diff / ref) < 1e-5, "relative distance " + Math.sqrt(diff / ref));
    }

    @Test
    void theClientsEpsilonMatchesOpacusOverItsRounds() {
        // ALGORITHMS.md 6.4: q = 0.01, sigma = 1.1, 10,000 steps, delta = 1e-5 -> epsilon 5.6320 (Opacus).
        DenseNetwork net = DenseNetwork.softmaxRegression(3, 2);
        Dataset data = RandomDatasets.uniform(100, 3, 2, 5);
        Tensors global = net.initialize(1);
        LocalDpConfig config = config(1.1, 1.0, Double.POSITIVE_INFINITY, PerExampleClipping.GHOST);
        LocalPrivacyAccount account = new LocalPrivacyAccount(1e-5, Double.POSITIVE_INFINITY);
        LocalResult last = null;
        for (int round = 0; round < 10; round++) {
            last = train(net, data, global, config, account, plan(1000, 1, 0.01, round));
        }
        assertEquals(5.6320, last.metrics().get(LocalDpSgd.EPSILON_METRIC), 5.6320 * 0.005);
        assertEquals(5.6320, account.epsilon(), 5.6320 * 0.005);
    }

    @Test
    void theClientRefusesARoundPastItsBudgetAndSpendsNothing() {
        DenseNetwork net = DenseNetwork.softmaxRegression(3, 2);
        Dataset data = RandomDatasets.uniform(100, 3, 2, 5);
        Tensors global = net.initialize(1);
        LocalDpConfig config = config(1.1, 1.0, 3.0, PerExampleClipping.GHOST);
        LocalPrivacyAccount account = new LocalPrivacyAccount(1e-5, 3.0);
        int rounds = 0;
        while (rounds < 20) {
            TrainingPlan plan = plan(1000, 1, 0.01, rounds);
            if (account.refusal(0.01, 1.1, 1000).isPresent()) {
                double before = account.epsilon();
                var e = assertThrows(LocalBudgetExhaustedException.class,
                        () -> train(net, data, global, config, account, plan));
                assertTrue(e.getMessage().contains("budget 3.0000"), e.getMessage());
                assertEquals(before, account.epsilon());
                break;
            }
            train(net, data, global, config, account, plan);
            rounds++;
        }
        assertTrue(rounds >= 1 && rounds < 20, "rounds " + rounds);
        assertTrue(account.epsilon() <= 3.0);
    }

    @Test
    void poissonBatchesHaveTheExpectedSizeOnAverageAndSometimesNone() {
        PoissonBatches batches = new PoissonBatches(50, 0.02, new SplittableRandom(8));
        long total = 0;
        int empty = 0;
        for (int s = 0; s < 20_000; s++) {
            int[] b = batches.next();
            total += b.length;
            empty += b.length == 0 ? 1 : 0;
        }
        // Mean size 1 (std error 0.007); P(empty) = 0.98^50 = 0.364 (std error 0.0034).
        assertEquals(1.0, total / 20_000.0, 0.03);
        assertEquals(Math.pow(0.98, 50), empty / 20_000.0, 0.015);
    }

    @Test
    void refusesStrategiesThatDoNotTrainByPlainSgdAndOptionsItCannotApply() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LocalDpSgd("fedspeed",
                config(1, 1, Double.POSITIVE_INFINITY, PerExampleClipping.GHOST), new LocalPrivacyAccount(1e-5, 1)));
        assertTrue(e.getMessage().contains("privacy.local") && e.getMessage().contains("fedspeed"), e.getMessage());
        DenseNetwork net = DenseNetwork.softmaxRegression(3, 2);
        TrainingPlan withMomentum = new TrainingPlan("fedavg", "train", 0, 1, 4, 0.1, 1, Map.of("momentum", 0.9));
        var m = assertThrows(IllegalArgumentException.class, () -> train(net, RandomDatasets.uniform(10, 3, 2, 1),
                net.initialize(1), config(1, 1, Double.POSITIVE_INFINITY, PerExampleClipping.GHOST),
                new LocalPrivacyAccount(1e-5, Double.POSITIVE_INFINITY), withMomentum));
        assertTrue(m.getMessage().contains("training.params.momentum"), m.getMessage());
    }
}
