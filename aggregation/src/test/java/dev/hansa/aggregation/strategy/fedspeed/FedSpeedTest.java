package dev.hansa.aggregation.strategy.fedspeed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.Aggregates;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.TestVectors;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FedSpeedTest {

    static final double BETA = 0.1, RHO = 0.1, WD = 1e-3;

    /** The repository's local steps in double on the full batch; returns the final local model. */
    static double[] referenceLocal(QuadraticModel m, double[] w0, double[] h, int steps, double lr, double clip) {
        double[] w = w0.clone();
        int[] all = m.allRows();
        for (int s = 0; s < steps; s++) {
            double[] g1 = m.gradient(w, all);
            double norm = Math.sqrt(dot(g1, g1));
            double[] perturbed = w.clone();
            for (int j = 0; j < w.length; j++) {
                perturbed[j] += RHO * g1[j] / (norm + 1e-7);
            }
            double[] g = m.gradient(perturbed, all);
            for (int j = 0; j < w.length; j++) {
                g[j] += BETA * (h[j] - w0[j]);
            }
            double gn = Math.sqrt(dot(g, g));
            double scale = gn > clip ? clip / gn : 1;
            for (int j = 0; j < w.length; j++) {
                w[j] -= lr * (g[j] * scale + (WD + BETA) * w[j]);
            }
        }
        return w;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static TrainingPlan plan(int steps, int batch, double lr, double clip) {
        return new TrainingPlan("fedspeed", "train", 0, steps, batch, lr, 5, Map.of("beta", BETA, "rho", RHO,
                "weightDecay", WD, "gradientClipNorm", clip));
    }

    static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    @Nested
    class Client {

        @Test
        void oneStepEqualsTheHandComputedValue() {
            QuadraticModel m = QuadraticModel.random(4, 3, 21);
            double[] x0 = {0.3, -0.2, 1.0};
            double[] h = {0.5, 0.1, -0.4};
            State state = new State(Map.of("h", TestVectors.of(m.spec(), h)), Map.of());
            LocalResult r = new FedSpeedClient().train(m, TestVectors.of(m.spec(), x0), plan(1, 4, 0.1, 10),
                    Optional.empty(), state);
            double[] expectedDelta = minus(referenceLocal(m, x0, h, 1, 0.1, 10), x0);
            TestVectors.assertClose(expectedDelta, r.update().values(), 1e-5);
            double[] expectedH = h.clone();
            for (int j = 0; j < 3; j++) {
                expectedH[j] += r.update().values()[j];
            }
            TestVectors.assertClose(expectedH, r.state().tensor("h").orElseThrow().values(), 1e-6);
            assertEquals(m.loss(x0, m.allRows()), r.metrics().get("train_loss"), 1e-5);
        }

        @Test
        void severalStepsWithActiveClippingEqualTheReference() {
            QuadraticModel m = QuadraticModel.random(5, 2, 22);
            double[] x0 = {2.0, -3.0};
            LocalResult r = new FedSpeedClient().train(m, TestVectors.of(m.spec(), x0), plan(6, 5, 0.2, 0.05),
                    Optional.empty(), State.EMPTY);
            TestVectors.assertClose(minus(referenceLocal(m, x0, new double[2], 6, 0.2, 0.05), x0),
                    r.update().values(), 1e-5);
        }

        @Test
        void rejectsMomentumWhichTheCodeDoesNotUse() {
            QuadraticModel m = QuadraticModel.random(5, 2, 22);
            TrainingPlan withMomentum = new TrainingPlan("fedspeed", "train", 1, 0, 5, 0.1, 1, Map.of("momentum", 0.9));
            assertThrows(IllegalArgumentException.class, () -> new FedSpeedClient().train(m,
                    TestVectors.of(m.spec(), 0, 0), withMomentum, Optional.empty(), State.EMPTY));
        }
    }

    @Nested
    class Server {

        @Test
        void nextModelIsTheRoundMeanPlusTheAverageOfAllDuals() {
            ModelSpec spec = ModelSpec.of(new dev.hansa.aggregation.tensor.TensorSpec("x", new int[] {2}));
            FedSpeed s = new FedSpeed(new TrainingConfig(1, 0, 8, 0.1, Map.of()), BETA, RHO, 0.998);
            Tensors x0 = TestVectors.of(spec, 1.0, 2.0);
            RoundContext ctx = new RoundContext(1, 4, 2, 3);
            Aggregates agg = Aggregates.of(s, spec);
            agg.add(TestVectors.update("a", TestVectors.of(spec, 0.2, -0.4), 10));
            agg.add(TestVectors.update("b", TestVectors.of(spec, -0.6, 0.0), 1000));
            RoundResult r = s.finishRound(ctx, x0, s.initialState(x0), agg.result());
            // mean delta (-0.2, -0.2); H = (-0.4, -0.4); H / N = (-0.1, -0.1); sample counts do not weigh.
            assertEquals(1.0 - 0.2 - 0.1, r.model().values()[0], 1e-6);
            assertEquals(2.0 - 0.2 - 0.1, r.model().values()[1], 1e-6);
            assertEquals(-0.4f, r.state().tensor(FedSpeed.SUM_H).orElseThrow().values()[0], 1e-7);
        }

        @Test
        void plansDecayTheLearningRateAndCarryTheCodeDefaults() {
            Strategy s = Strategies.create("fedspeed", Map.of());
            Tensors x = Tensors.zeros(TestVectors.SPEC);
            TrainingPlan p1 = s.planRound(new RoundContext(1, 10, 1, 1), List.of("a"), x, s.initialState(x)).plans().get("a");
            TrainingPlan p3 = s.planRound(new RoundContext(3, 10, 1, 1), List.of("a"), x, s.initialState(x)).plans().get("a");
            assertEquals(0.1, p1.learningRate(), 1e-15);
            assertEquals(0.1 * 0.998 * 0.998, p3.learningRate(), 1e-15);
            assertEquals(Map.of("beta", 0.1, "rho", 0.1, "weightDecay", 1e-3, "gradientClipNorm", 10.0), p1.params());
            assertEquals(5, p1.localEpochs());
            assertEquals(50, p1.batchSize());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.create(
                    "fedspeed", Map.of(), new TrainingConfig(1, 0, 8, 0.1, Map.of("momentum", 0.5))));
            assertTrue(e.getMessage().contains("momentum"));
        }
    }

    /**
     * Three rounds with changing participants: client-held h_i plus the server's running sum must reproduce the
     * repository's N x d table of h_j exactly (up to float rounding).
     */
    @Test
    void clientHeldDualsReproduceTheRepositoryTable() {
        int n = 3, d = 2, steps = 3;
        double lr = 0.1;
        List<QuadraticModel> clients = List.of(QuadraticModel.random(4, d, 31), QuadraticModel.random(6, d, 32),
                QuadraticModel.random(3, d, 33));
        List<List<Integer>> participants = List.of(List.of(0, 1), List.of(1, 2), List.of(0, 2), List.of(0, 1, 2));

        double[] refX = {0.5, -0.5};
        double[][] refH = new double[n][d];
        FedSpeed strategy = new FedSpeed(new TrainingConfig(0, steps, 100, lr, Map.of()), BETA, RHO, 1.0);
        ModelSpec spec = clients.get(0).spec();
        Tensors x = TestVectors.of(spec, refX);
        State server = strategy.initialState(x);
        Map<Integer, State> clientStates = new HashMap<>();

        for (int t = 0; t < participants.size(); t++) {
            List<Integer> round = participants.get(t);
            // Reference: FL-Simulator's server loop, in double.
            double[] meanW = new double[d];
            for (int i : round) {
                double[] w = referenceLocal(clients.get(i), refX, refH[i], steps, lr, 10);
                for (int j = 0; j < d; j++) {
                    refH[i][j] += w[j] - refX[j];
                    meanW[j] += w[j] / round.size();
                }
            }
            for (int j = 0; j < d; j++) {
                double meanH = 0;
                for (double[] h : refH) {
                    meanH += h[j] / n;
                }
                refX[j] = meanW[j] + meanH;
            }
            // Hansa: plan, local procedure with client state, streaming aggregate, finish.
            RoundContext ctx = new RoundContext(t + 1, n, round.size(), 100 + t);
            List<String> ids = new ArrayList<>();
            round.forEach(i -> ids.add("c" + i));
            var plans = strategy.planRound(ctx, ids, x, server).plans();
            Aggregates agg = Aggregates.of(strategy, spec);
            for (int i : round) {
                LocalResult r = new FedSpeedClient().train(clients.get(i), x, plans.get("c" + i), Optional.empty(),
                        clientStates.getOrDefault(i, State.EMPTY));
                clientStates.put(i, r.state());
                agg.add(new Update("c" + i, "train", r.update(), r.numSamples(), r.metrics()));
            }
            RoundResult result = strategy.finishRound(ctx, x, server, agg.result());
            x = result.model();
            server = result.state();
            TestVectors.assertClose(refX, x.values(), 1e-4);
        }
    }
}
