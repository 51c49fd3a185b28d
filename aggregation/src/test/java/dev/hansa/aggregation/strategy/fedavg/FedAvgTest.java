package dev.hansa.aggregation.strategy.fedavg;

import static dev.hansa.aggregation.testing.TestVectors.SPEC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.Aggregates;
import dev.hansa.aggregation.testing.TestVectors;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FedAvgTest {

    static final TrainingConfig TRAINING = new TrainingConfig(2, 0, 16, 0.05, Map.of("momentum", 0.9));
    static final RoundContext ROUND = new RoundContext(3, 10, 4, 1234);

    static RoundResult run(FedAvg strategy, Tensors model, State state, List<Update> updates) {
        Aggregates agg = Aggregates.of(strategy, model.spec());
        updates.forEach(agg::add);
        return strategy.finishRound(ROUND, model, state, agg.result());
    }


    @Nested
    class FinishRound {

        @Test
        void equalsDoublePrecisionWeightedMeanTimesServerRate() {
            Random r = new Random(7);
            Tensors x = TestVectors.random(SPEC, r);
            List<Update> updates = TestVectors.randomUpdates(r, 5);
            double eta = 0.7;
            RoundResult result = run(FedAvg.plain(TRAINING, eta), x, State.EMPTY, updates);

            double[] expected = TestVectors.toDouble(x.values());
            double total = updates.stream().mapToLong(Update::numSamples).sum();
            for (Update u : updates) {
                float[] d = u.values().values();
                for (int i = 0; i < d.length; i++) {
                    expected[i] += eta * u.numSamples() * (double) d[i] / total;
                }
            }
            TestVectors.assertClose(expected, result.model().values(), 1e-6);
            assertEquals(5.0, result.metrics().get("clients"));
            assertEquals(total, result.metrics().get("samples"));
        }

        @Test
        void uniformWeightingIgnoresSampleCounts() {
            var spec = dev.hansa.aggregation.tensor.ModelSpec.of(new TensorSpec("x", new int[] {1}));
            var strategy = Strategies.create("fedavg", Map.of("weighting", "uniform"));
            Tensors x = TestVectors.of(spec, 1.0);
            Aggregates agg = Aggregates.of(strategy, spec);
            agg.add(TestVectors.update("a", TestVectors.of(spec, 1.0), 1));
            agg.add(TestVectors.update("b", TestVectors.of(spec, 3.0), 99));
            assertEquals(3.0f, strategy.finishRound(ROUND, x, State.EMPTY, agg.result()).model().values()[0], 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> Strategies.create(
                    "fedadam", Map.of("weighting", "equal")));
        }

        @Test
        void isInvariantToTheOrderOfUpdates() {
            Random r = new Random(11);
            Tensors x = TestVectors.random(SPEC, r);
            List<Update> updates = TestVectors.randomUpdates(r, 8);
            FedAvg fedAvg = FedAvg.plain(TRAINING, 1.0);
            float[] reference = run(fedAvg, x, State.EMPTY, updates).model().values();
            for (int trial = 0; trial < 5; trial++) {
                List<Update> shuffled = new ArrayList<>(updates);
                Collections.shuffle(shuffled, new Random(trial));
                TestVectors.assertClose(TestVectors.toDouble(reference),
                        run(fedAvg, x, State.EMPTY, shuffled).model().values(), 1e-6);
            }
        }

        @Test
        void identicalUpdatesMoveTheModelByThatUpdate() {
            Random r = new Random(3);
            Tensors x = TestVectors.random(SPEC, r);
            Tensors delta = TestVectors.random(SPEC, r);
            RoundResult result = run(FedAvg.plain(TRAINING, 1.0), x, State.EMPTY,
                    List.of(TestVectors.update("a", delta, 3), TestVectors.update("b", delta, 900)));
            for (int i = 0; i < x.values().length; i++) {
                assertEquals(x.values()[i] + delta.values()[i], result.model().values()[i], 1e-5);
            }
        }

        @Test
        void averagesClientMetricsWithSampleWeights() {
            Tensors x = Tensors.zeros(SPEC);
            RoundResult result = run(FedAvg.plain(TRAINING, 1.0), x, State.EMPTY, List.of(
                    new Update("a", "train", Tensors.zeros(SPEC), 1, Map.of("train_loss", 1.0)),
                    new Update("b", "train", Tensors.zeros(SPEC), 3, Map.of("train_loss", 2.0))));
            assertEquals(1.75, result.metrics().get("train_loss"), 1e-12);
        }

        @Test
        void withoutUpdatesKeepsTheModel() {
            Tensors x = TestVectors.random(SPEC, new Random(1));
            RoundResult result = run(FedAvg.plain(TRAINING, 1.0), x, State.EMPTY, List.of());
            assertSame(x, result.model());
        }

        @Test
        void leavesInputsUntouched() {
            Random r = new Random(5);
            Tensors x = TestVectors.random(SPEC, r);
            float[] before = x.values().clone();
            List<Update> updates = TestVectors.randomUpdates(r, 3);
            float[] firstUpdate = updates.get(0).values().values().clone();
            run(FedAvg.plain(TRAINING, 1.0), x, State.EMPTY, updates);
            assertArrayEquals(before, x.values());
            assertArrayEquals(firstUpdate, updates.get(0).values().values());
        }

        @Test
        void rejectsAnUpdateOfAnotherSpec() {
            Aggregates agg = Aggregates.of(FedAvg.plain(TRAINING, 1.0), SPEC);
            ModelSpec other = ModelSpec.of(new TensorSpec("w", new int[] {12}), new TensorSpec("b", new int[] {5}));
            assertThrows(IllegalArgumentException.class,
                    () -> agg.add(TestVectors.update("a", Tensors.zeros(other), 1)));
        }
    }

    @Nested
    class PlanRound {

        @Test
        void givesEveryParticipantThePlanOfTheTrainingConfig() {
            FedAvg fedAvg = FedAvg.plain(TRAINING, 1.0);
            RoundPlan plan = fedAvg.planRound(ROUND, List.of("a", "b"), Tensors.zeros(SPEC), State.EMPTY);
            assertEquals(2, plan.plans().size());
            TrainingPlan a = plan.plans().get("a");
            assertEquals("fedavg", a.strategy());
            assertEquals("train", a.role());
            assertEquals(2, a.localEpochs());
            assertEquals(16, a.batchSize());
            assertEquals(0.05, a.learningRate());
            assertEquals(0.9, a.param("momentum", 0));
            assertTrue(plan.broadcast().isEmpty());
            assertNotEquals(a.seed(), plan.plans().get("b").seed(), "clients get distinct seeds");
        }

        @Test
        void seedsDependOnRoundSeedAndClientOnly() {
            FedAvg fedAvg = FedAvg.plain(TRAINING, 1.0);
            Tensors x = Tensors.zeros(SPEC);
            long s1 = fedAvg.planRound(ROUND, List.of("a", "b"), x, State.EMPTY).plans().get("b").seed();
            long s2 = fedAvg.planRound(ROUND, List.of("b", "z"), x, State.EMPTY).plans().get("b").seed();
            long s3 = fedAvg.planRound(new RoundContext(4, 10, 4, 999), List.of("b"), x, State.EMPTY)
                    .plans().get("b").seed();
            assertEquals(s1, s2);
            assertNotEquals(s1, s3);
        }

        @Test
        void rejectsTrainingOptionsThatLocalSgdDoesNotKnow() {
            TrainingConfig bad = new TrainingConfig(1, 0, 8, 0.1, Map.of("rho", 0.1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FedAvg.plain(bad, 1.0));
            assertTrue(e.getMessage().contains("rho"), e.getMessage());
            TrainingConfig outOfRange = new TrainingConfig(1, 0, 8, 0.1, Map.of("momentum", 1.0));
            e = assertThrows(IllegalArgumentException.class, () -> FedAvg.plain(outOfRange, 1.0));
            assertTrue(e.getMessage().contains("momentum"), e.getMessage());
        }
    }
}
