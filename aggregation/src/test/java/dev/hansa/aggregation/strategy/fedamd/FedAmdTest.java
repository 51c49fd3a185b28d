package dev.hansa.aggregation.strategy.fedamd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.Aggregates;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.TestVectors;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FedAmdTest {

    static TrainingPlan plan(String role, int steps, int batch, double lr, Map<String, Double> params) {
        return new TrainingPlan("fedamd", role, 0, steps, batch, lr, 77, params);
    }

    static double[] d(float[] v) {
        return TestVectors.toDouble(v);
    }

    @Nested
    class Miner {

        @Test
        void firstStepFollowsTheBullseye() {
            QuadraticModel m = QuadraticModel.random(5, 3, 41);
            Tensors x = TestVectors.of(m.spec(), 0.1, 0.2, 0.3);
            Tensors v = TestVectors.of(m.spec(), 1.0, -2.0, 0.5);
            LocalResult r = new FedAmdClient().train(m, x, plan("miner", 1, 2, 0.1, Map.of()), Optional.of(v),
                    State.EMPTY);
            // d_0 = v, so y_1 - x = -lr v.
            assertArrayEquals(new float[] {-0.1f, 0.2f, -0.05f}, r.update().values(), 1e-7f);
        }

        @Test
        void recursiveStepsEvaluateBothPointsOnTheSameMinibatch() {
            QuadraticModel m = QuadraticModel.random(7, 2, 42);
            double[] x0 = {0.5, -1};
            double[] v = {0.3, 0.1};
            double lr = 0.05;
            LocalResult r = new FedAmdClient().train(m, TestVectors.of(m.spec(), x0), plan("miner", 4, 3, lr, Map.of()),
                    Optional.of(TestVectors.of(m.spec(), v)), State.EMPTY);
            // Recorded calls: step 0 at y_0; step k >= 1 at y_k then at y_{k-1}, with one batch.
            assertEquals(7, m.batches.size());
            List<int[]> stepBatches = new ArrayList<>();
            stepBatches.add(m.batches.get(0));
            for (int k = 1; k < 4; k++) {
                assertArrayEquals(m.batches.get(2 * k - 1), m.batches.get(2 * k), "same minibatch at step " + k);
                stepBatches.add(m.batches.get(2 * k - 1));
            }
            double[] y = x0.clone(), yPrev = x0.clone(), dir = v.clone();
            for (int k = 0; k < 4; k++) {
                if (k > 0) {
                    double[] gPrev = m.gradient(yPrev, stepBatches.get(k));
                    double[] gCur = m.gradient(y, stepBatches.get(k));
                    for (int j = 0; j < 2; j++) {
                        dir[j] += gCur[j] - gPrev[j];
                    }
                }
                yPrev = y.clone();
                for (int j = 0; j < 2; j++) {
                    y[j] -= lr * dir[j];
                }
            }
            TestVectors.assertClose(new double[] {y[0] - x0[0], y[1] - x0[1]}, r.update().values(), 1e-5);
        }

        @Test
        void needsTheBroadcast() {
            QuadraticModel m = QuadraticModel.random(3, 2, 43);
            assertThrows(IllegalArgumentException.class, () -> new FedAmdClient().train(m, TestVectors.of(m.spec(), 0, 0),
                    plan("miner", 1, 2, 0.1, Map.of()), Optional.empty(), State.EMPTY));
            assertThrows(IllegalArgumentException.class, () -> new FedAmdClient().train(m, TestVectors.of(m.spec(), 0, 0),
                    plan("train", 1, 2, 0.1, Map.of()), Optional.empty(), State.EMPTY));
        }
    }

    @Nested
    class Anchor {

        @Test
        void uploadsTheChangeOfItsFullGradientAndKeepsTheGradient() {
            QuadraticModel m = QuadraticModel.random(7, 3, 44);
            double[] x = {0.2, -0.3, 0.9};
            double[] old = {1, 2, 3};
            State state = new State(Map.of("g", TestVectors.of(m.spec(), old)), Map.of());
            LocalResult r = new FedAmdClient().train(m, TestVectors.of(m.spec(), x), plan("anchor", 10, 3, 0.1, Map.of()),
                    Optional.empty(), state);
            double[] full = m.gradient(x, m.allRows());
            TestVectors.assertClose(full, r.state().tensor("g").orElseThrow().values(), 1e-6);
            TestVectors.assertClose(new double[] {full[0] - 1, full[1] - 2, full[2] - 3}, r.update().values(), 1e-6);
            assertEquals(0.0, r.metrics().get(FedAmdClient.FIRST_REPORT));
            assertEquals(m.loss(x, m.allRows()), r.metrics().get("train_loss"), 1e-6);
            assertEquals(3, m.batches.size(), "chunks of batchSize 3 over 7 samples");
        }

        @Test
        void firstReportUploadsTheGradientItselfAndSaysSo() {
            QuadraticModel m = QuadraticModel.random(4, 2, 45);
            double[] x = {1, 1};
            LocalResult r = new FedAmdClient().train(m, TestVectors.of(m.spec(), x), plan("anchor", 1, 8, 0.1, Map.of()),
                    Optional.empty(), State.EMPTY);
            TestVectors.assertClose(m.gradient(x, m.allRows()), r.update().values(), 1e-6);
            assertEquals(1.0, r.metrics().get(FedAmdClient.FIRST_REPORT));
        }

        @Test
        void anchorBatchSizeDrawsASeededSubset() {
            QuadraticModel m = QuadraticModel.random(20, 2, 46);
            new FedAmdClient().train(m, TestVectors.of(m.spec(), 0, 0),
                    plan("anchor", 1, 100, 0.1, Map.of(FedAmdClient.ANCHOR_BATCH_SIZE, 6.0)), Optional.empty(),
                    State.EMPTY);
            assertEquals(1, m.batches.size());
            assertEquals(6, m.batches.get(0).length);
            assertEquals(6, Arrays.stream(m.batches.get(0)).distinct().count());
        }
    }

    @Nested
    class Server {

        final Strategy strategy = Strategies.create("fedamd", Map.of("anchorProbability", 0.5));
        final Tensors x0 = TestVectors.of(TestVectors.SPEC, new double[TestVectors.SPEC.parameterCount()]);

        @Test
        void warmUpRoundsAreAllAnchorsWithoutBroadcast() {
            RoundPlan plan = strategy.planRound(new RoundContext(1, 20, 10, 5), ids(10), x0, strategy.initialState(x0));
            assertTrue(plan.plans().values().stream().allMatch(p -> p.role().equals("anchor")));
            assertTrue(plan.broadcast().isEmpty());
        }

        @Test
        void bullseyeIsTheMeanOfReportedAnchorGradientsAndMinersMoveTheModel() {
            var spec = TestVectors.SPEC;
            int d = spec.parameterCount();
            float[] g1 = new float[d], g2 = new float[d], m1 = new float[d], m2 = new float[d];
            for (int i = 0; i < d; i++) {
                g1[i] = i;
                g2[i] = 2 - i;
                m1[i] = 0.1f * i;
                m2[i] = -0.3f;
            }
            RoundContext r1 = new RoundContext(1, 3, 2, 5);
            Aggregates agg = Aggregates.of(strategy, spec);
            agg.add(new Update("a", "anchor", new Tensors(spec, g1), 5, Map.of(FedAmdClient.FIRST_REPORT, 1.0)));
            agg.add(new Update("b", "anchor", new Tensors(spec, g2), 9, Map.of(FedAmdClient.FIRST_REPORT, 1.0)));
            RoundResult after1 = strategy.finishRound(r1, x0, strategy.initialState(x0), agg.result());
            assertArrayEquals(x0.values(), after1.model().values(), "anchors alone do not move the model");
            assertEquals(2.0, after1.state().scalar(FedAmd.REPORTED, -1));

            RoundContext r2 = new RoundContext(2, 3, 40, 6);
            RoundPlan plan = strategy.planRound(r2, ids(40), after1.model(), after1.state());
            long anchors = plan.plans().values().stream().filter(p -> p.role().equals("anchor")).count();
            assertTrue(anchors > 5 && anchors < 35, "about half anchors: " + anchors);
            float[] v = plan.broadcast().orElseThrow().values();
            for (int i = 0; i < d; i++) {
                assertEquals(1.0, v[i], 1e-6, "(g1 + g2) / 2 = 1 everywhere");
            }

            Aggregates agg2 = Aggregates.of(strategy, spec);
            agg2.add(new Update("a", "miner", new Tensors(spec, m1), 1, Map.of()));
            agg2.add(new Update("b", "miner", new Tensors(spec, m2), 100, Map.of()));
            agg2.add(new Update("c", "anchor", new Tensors(spec, g1), 1, Map.of(FedAmdClient.FIRST_REPORT, 1.0)));
            RoundResult after2 = strategy.finishRound(r2, after1.model(), after1.state(), agg2.result());
            for (int i = 0; i < d; i++) {
                assertEquals((0.1 * i - 0.3) / 2, after2.model().values()[i], 1e-6, "unweighted mean of miners");
                assertEquals(g1[i] + g2[i] + g1[i], after2.state().tensor(FedAmd.SUM_G).orElseThrow().values()[i], 1e-5);
            }
            assertEquals(3.0, after2.state().scalar(FedAmd.REPORTED, -1));
        }

        @Test
        void periodScheduleMakesWholeRoundsAnchorRounds() {
            Strategy periodic = Strategies.create("fedamd", Map.of("anchorSchedule", "period", "anchorPeriod", 3));
            State reported = new State(Map.of(FedAmd.SUM_G, Tensors.zeros(TestVectors.SPEC)),
                    Map.of(FedAmd.REPORTED, 4.0));
            for (long t = 1; t <= 7; t++) {
                RoundPlan plan = periodic.planRound(new RoundContext(t, 4, 4, t), ids(4), x0, reported);
                String expected = (t - 1) % 3 == 0 ? "anchor" : "miner";
                assertTrue(plan.plans().values().stream().allMatch(p -> p.role().equals(expected)), "round " + t);
            }
        }

        @Test
        void probabilityOptionsFollowTheCodesFormulas() {
            assertEquals(Math.sqrt(20) - 4, new AnchorSchedule.OptB().probability(1, 20, 10), 1e-12);
            assertEquals(Math.pow(1.0 / 6, 0.1), new AnchorSchedule.OptC().probability(1, 20, 10), 1e-12);
            assertEquals(1 / Math.log(2.8), new AnchorSchedule.Sequential().probability(1, 20, 10), 1e-12);
            assertEquals(1 / Math.log(22.6), new AnchorSchedule.Sequential().probability(100, 20, 10), 1e-12);
        }

        @Test
        void rejectsInconsistentScheduleParams() {
            assertThrows(IllegalArgumentException.class, () -> Strategies.create("fedamd",
                    Map.of("anchorSchedule", "optb", "anchorProbability", 0.3)));
            assertThrows(IllegalArgumentException.class, () -> Strategies.create("fedamd",
                    Map.of("anchorSchedule", "period")));
            assertThrows(IllegalArgumentException.class, () -> Strategies.create("fedamd",
                    Map.of("anchorSchedule", "period", "anchorPeriod", 1)));
            assertThrows(IllegalArgumentException.class, () -> Strategies.create("fedamd",
                    Map.of("anchorSchedule", "weekly")));
            assertThrows(IllegalArgumentException.class, () -> Strategies.create("fedamd", Map.of(),
                    new TrainingConfig(0, 10, 64, 0.01, Map.of("momentum", 0.9))));
        }

        private static List<String> ids(int n) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("c" + i);
            }
            return ids;
        }
    }

    @Test
    void minerPlansAreDeterministicForTheRoundSeed() {
        Strategy s = Strategies.create("fedamd", Map.of());
        Tensors x = Tensors.zeros(TestVectors.SPEC);
        State st = new State(Map.of(FedAmd.SUM_G, Tensors.zeros(TestVectors.SPEC)),
                Map.of(FedAmd.REPORTED, 1.0));
        List<String> ids = List.of("a", "b", "c", "d", "e", "f");
        RoundContext ctx = new RoundContext(9, 6, 6, 123);
        assertEquals(s.planRound(ctx, ids, x, st).plans(), s.planRound(ctx, ids, x, st).plans());
        assertFalse(s.planRound(ctx, ids, x, st).plans().isEmpty());
    }
}
