package dev.hansa.aggregation.strategy.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.TestVectors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalSgdTest {

    static TrainingPlan plan(String strategy, int epochs, int steps, int batch, double lr, Map<String, Double> params) {
        return new TrainingPlan(strategy, "train", epochs, steps, batch, lr, 42, params);
    }

    static Tensors start(QuadraticModel m, double... x) {
        return TestVectors.of(m.spec(), x);
    }

    /** Full-batch iterates in double, with every option of the step. */
    static double[] handIterates(QuadraticModel m, double[] x0, int steps, double lr, double momentum, double wd,
                                 double clip, double mu) {
        double[] x = x0.clone();
        double[] buf = new double[x.length];
        for (int s = 0; s < steps; s++) {
            double[] g = m.gradient(x, m.allRows());
            double norm = 0;
            for (double v : g) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            double scale = clip > 0 && norm > clip ? clip / norm : 1;
            for (int j = 0; j < x.length; j++) {
                g[j] = g[j] * scale + mu * (x[j] - x0[j]) + wd * x[j];
                buf[j] = s == 0 ? g[j] : momentum * buf[j] + g[j];
                x[j] -= lr * (momentum > 0 ? buf[j] : g[j]);
            }
        }
        for (int j = 0; j < x.length; j++) {
            x[j] -= x0[j];
        }
        return x;
    }

    @Test
    void fullBatchStepsEqualHandComputedIteratesWithMomentumDecayAndClipping() {
        QuadraticModel m = QuadraticModel.random(6, 3, 1);
        double[] x0 = {0.5, -1.0, 2.0};
        Map<String, Double> params = Map.of("momentum", 0.8, "weightDecay", 0.01, "gradientClipNorm", 0.7);
        LocalResult r = LocalSgd.plain("fedavg").train(m, start(m, x0), plan("fedavg", 0, 7, 6, 0.1, params),
                Optional.empty(), State.EMPTY);
        TestVectors.assertClose(handIterates(m, x0, 7, 0.1, 0.8, 0.01, 0.7, 0), r.update().values(), 1e-5);
        assertEquals(6, r.numSamples());
    }

    @Test
    void plainStepsEqualGradientDescentAndReportTheMeanLoss() {
        QuadraticModel m = QuadraticModel.random(5, 2, 2);
        double[] x0 = {1, 1};
        LocalResult r = LocalSgd.plain("fedavg").train(m, start(m, x0), plan("fedavg", 3, 0, 100, 0.2, Map.of()),
                Optional.empty(), State.EMPTY);
        TestVectors.assertClose(handIterates(m, x0, 3, 0.2, 0, 0, 0, 0), r.update().values(), 1e-5);
        double[] x = x0.clone();
        double lossSum = 0;
        for (int s = 0; s < 3; s++) {
            lossSum += m.loss(x, m.allRows());
            double[] g = m.gradient(x, m.allRows());
            for (int j = 0; j < 2; j++) {
                x[j] -= 0.2 * g[j];
            }
        }
        assertEquals(lossSum / 3, r.metrics().get("train_loss"), 1e-5);
    }

    @Test
    void workerMomentumAveragesGradientsAcrossRoundsThroughTheClientState() {
        QuadraticModel m = QuadraticModel.random(6, 3, 5);
        double beta = 0.9;
        double lr = 0.1;
        Map<String, Double> params = Map.of("workerMomentum", beta);
        double[] x = {0.5, -1.0, 2.0};
        double[] momentum = new double[3];
        State state = State.EMPTY;
        for (int round = 0; round < 2; round++) {
            LocalResult r = LocalSgd.plain("fedavg").train(m, start(m, x), plan("fedavg", 0, 3, 6, lr, params),
                    Optional.empty(), state);
            double[] w = x.clone();
            for (int s = 0; s < 3; s++) {
                double[] g = m.gradient(w, m.allRows());
                for (int j = 0; j < 3; j++) {
                    momentum[j] = beta * momentum[j] + (1 - beta) * g[j];
                    w[j] -= lr * momentum[j];
                }
            }
            double[] delta = new double[3];
            for (int j = 0; j < 3; j++) {
                delta[j] = w[j] - x[j];
            }
            TestVectors.assertClose(delta, r.update().values(), 1e-6);
            TestVectors.assertClose(momentum, r.state().require(LocalSgd.WORKER_MOMENTUM_STATE, m.spec()), 1e-6);
            state = r.state();
            x = w;
        }
    }

    @Test
    void workerMomentumAndHeavyBallMomentumAreNotCombined() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalSgd.plain("fedavg").options(Map.of("workerMomentum", 0.9, "momentum", 0.9)));
        assertEquals("training.params.workerMomentum and training.params.momentum are two kinds of momentum; set one "
                + "of them", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LocalSgd.plain("fedavg").options(Map.of("workerMomentum", 1.0)));
    }

    @Test
    void fedProxAddsTheProximalPull() {
        QuadraticModel m = QuadraticModel.random(4, 3, 3);
        double[] x0 = {0, 1, -1};
        LocalResult r = LocalSgd.fedProx("fedprox").train(m, start(m, x0),
                plan("fedprox", 0, 5, 4, 0.3, Map.of("mu", 0.5)), Optional.empty(), State.EMPTY);
        TestVectors.assertClose(handIterates(m, x0, 5, 0.3, 0, 0, 0, 0.5), r.update().values(), 1e-5);
    }

    @Test
    void manyEpochsConvergeToTheLeastSquaresSolution() {
        // Square invertible system: the optimum solves A x = b exactly.
        QuadraticModel m = new QuadraticModel(new double[][] {{2, 0}, {1, 3}}, new double[] {4, 5});
        double[] x0 = {0, 0};
        LocalResult r = LocalSgd.plain("fedavg").train(m, start(m, x0), plan("fedavg", 400, 0, 2, 0.1, Map.of()),
                Optional.empty(), State.EMPTY);
        assertArrayEquals(new float[] {2, 1}, r.update().values(), 1e-4f);
    }

    @Test
    void everyEpochVisitsEverySampleOnceInAShuffledOrder() {
        QuadraticModel m = QuadraticModel.random(10, 2, 4);
        LocalSgd.plain("fedavg").train(m, start(m, 0, 0), plan("fedavg", 3, 0, 4, 0.01, Map.of()), Optional.empty(),
                State.EMPTY);
        assertEquals(9, m.batches.size(), "3 epochs of ceil(10/4) batches");
        int[][] epochs = new int[3][];
        for (int e = 0; e < 3; e++) {
            int[] seen = new int[0];
            for (int k = 0; k < 3; k++) {
                int[] batch = m.batches.get(3 * e + k);
                seen = concat(seen, batch);
            }
            epochs[e] = seen.clone();
            Arrays.sort(seen);
            assertArrayEquals(m.allRows(), seen, "epoch " + e);
        }
        assertEquals(2, m.batches.get(2).length, "the last batch of an epoch is the remainder");
        assertFalse(Arrays.equals(epochs[0], epochs[1]), "order is reshuffled per epoch");
    }

    @Test
    void localStepsOverrideEpochsAndTheSeedFixesTheResult() {
        QuadraticModel m = QuadraticModel.random(10, 2, 5);
        TrainingPlan p = plan("fedavg", 1, 7, 3, 0.05, Map.of());
        LocalResult first = LocalSgd.plain("fedavg").train(m, start(m, 1, 2), p, Optional.empty(), State.EMPTY);
        assertEquals(7, m.batches.size());
        LocalResult again = LocalSgd.plain("fedavg").train(m, start(m, 1, 2), p, Optional.empty(), State.EMPTY);
        assertArrayEquals(first.update().values(), again.update().values());
        TrainingPlan otherSeed = new TrainingPlan("fedavg", "train", 1, 7, 3, 0.05, 43, Map.of());
        LocalResult other = LocalSgd.plain("fedavg").train(m, start(m, 1, 2), otherSeed, Optional.empty(),
                State.EMPTY);
        assertFalse(Arrays.equals(first.update().values(), other.update().values()));
    }

    @Test
    void keepsTheClientStateAndTheGlobalModel() {
        QuadraticModel m = QuadraticModel.random(4, 2, 6);
        Tensors global = start(m, 1, 2);
        State state = new State(Map.of(), Map.of("k", 1.0));
        LocalResult r = LocalSgd.plain("fedavg").train(m, global, plan("fedavg", 1, 0, 2, 0.1, Map.of()),
                Optional.empty(), state);
        assertSame(state, r.state());
        assertArrayEquals(new float[] {1, 2}, global.values());
    }

    @Test
    void rejectsUnknownOrInvalidPlanParams() {
        QuadraticModel m = QuadraticModel.random(4, 2, 6);
        Map<String, Double> muForFedAvg = new HashMap<>(Map.of("mu", 0.1));
        assertThrows(IllegalArgumentException.class, () -> LocalSgd.plain("fedavg").train(m, start(m, 0, 0),
                plan("fedavg", 1, 0, 2, 0.1, muForFedAvg), Optional.empty(), State.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> LocalSgd.plain("fedavg").train(m, start(m, 0, 0),
                plan("fedavg", 1, 0, 2, 0.1, Map.of("weightDecay", -1.0)), Optional.empty(), State.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> LocalSgd.plain("fedavg").train(m, start(m, 0, 0),
                plan("fedprox", 1, 0, 2, 0.1, Map.of()), Optional.empty(), State.EMPTY));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
