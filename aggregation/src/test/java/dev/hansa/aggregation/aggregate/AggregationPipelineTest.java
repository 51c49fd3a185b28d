package dev.hansa.aggregation.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.aggregate.robust.Bucketing;
import dev.hansa.aggregation.aggregate.robust.CoordinateMedian;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.InvalidUpdateException;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AggregationPipelineTest {

    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {9}));

    static Update update(String id, String role, long samples, float... values) {
        return new Update(id, role, new Tensors(SPEC, values), samples, Map.of("train_loss", (double) samples));
    }

    static float[] random(Random r) {
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static AggregationPipeline pipeline(String aggregator, UpdateWeighting weighting) {
        return new AggregationPipeline(Aggregators.robustness(Map.of("aggregator", aggregator)), weighting);
    }

    @Nested
    class Admission {

        final AggregationPipeline pipeline = new AggregationPipeline(Aggregators.robustness(Map.of(
                "maxUpdateNorm", 3.0, "maxSamplesPerUpdate", 100)), UpdateWeighting.SAMPLES);

        @Test
        void refusesNonFiniteValuesNamingTheTensorAndIndex() {
            float[] v = new float[9];
            v[4] = Float.NaN;
            InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
                    () -> pipeline.admit(update("a", "train", 1, v), 10));
            assertEquals("non-finite-update", e.reason());
            assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("4"), e.getMessage());
        }

        @Test
        void boundsTheSampleCountByTheDeclaredAndTheFederationsLimit() {
            float[] v = new float[9];
            assertEquals(10, pipeline.admit(update("a", "train", 10, v), 10).weight());
            assertEquals("implausible-sample-count", assertThrows(InvalidUpdateException.class,
                    () -> pipeline.admit(update("a", "train", 11, v), 10)).reason());
            assertEquals("implausible-sample-count", assertThrows(InvalidUpdateException.class,
                    () -> pipeline.admit(update("a", "train", 101, v), Long.MAX_VALUE)).reason());
        }

        @Test
        void refusesOrClipsANormAboveTheBound() {
            float[] big = {4, 0, 0, 0, 0, 0, 0, 0, 3};
            assertEquals("update-norm-exceeded", assertThrows(InvalidUpdateException.class,
                    () -> pipeline.admit(update("a", "train", 1, big), 1)).reason());
            AggregationPipeline clipping = new AggregationPipeline(Aggregators.robustness(Map.of(
                    "maxUpdateNorm", 2.5, "onNormExceeded", "clip")), UpdateWeighting.UNIFORM);
            AggregationPipeline.Admitted a = clipping.admit(update("a", "train", 1, big), 1);
            assertEquals(5.0, a.norm(), 1e-12);
            assertEquals(2.5, a.clippedTo());
            assertArrayEquals(new float[] {2, 0, 0, 0, 0, 0, 0, 0, 1.5f}, a.update().values().values());
            AggregationPipeline.Admitted again = clipping.readmit(update("a", "train", 1, big), a.clippedTo());
            assertArrayEquals(a.update().values().values(), again.update().values().values(), "a restart re-clips alike");
        }

        @Test
        void configurationErrorsNameTheField() {
            for (var bad : List.of(Map.of("aggregator", "kurm"), Map.of("maxUpdateNorm", -1),
                    Map.of("onNormExceeded", "ignore"), Map.of("maxSamplesPerUpdate", 0), Map.of("aggregate", "mean"),
                    Map.<String, Object>of("preAggregators", List.of(Map.of("name", "bucketing", "bucketSize", 0))))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Aggregators.robustness(bad), bad.toString());
                assertTrue(e.getMessage().startsWith("robustness"), e.getMessage());
            }
        }
    }

    static Stream<String> aggregators() {
        return Aggregators.names().stream();
    }

    /** The invariants every aggregator keeps, whatever its rule (ByzFL-style contract). */
    @Nested
    class Contract {

        @ParameterizedTest
        @MethodSource("dev.hansa.aggregation.aggregate.AggregationPipelineTest#aggregators")
        void isInvariantToTheUpdatesOrderUpToRounding(String name) {
            Random r = new Random(7);
            List<Update> updates = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                updates.add(update("c" + i, "train", 1, random(r)));
            }
            double[] forward = aggregate(name, updates);
            Collections.reverse(updates);
            assertArrayEquals(forward, aggregate(name, updates), 1e-12);
        }

        @ParameterizedTest
        @MethodSource("dev.hansa.aggregation.aggregate.AggregationPipelineTest#aggregators")
        void identicalUpdatesAggregateToThatUpdate(String name) {
            float[] v = random(new Random(8));
            List<Update> same = List.of(update("a", "train", 1, v), update("b", "train", 1, v), update("c", "train", 1, v));
            double[] out = aggregate(name, same);
            for (int i = 0; i < v.length; i++) {
                assertEquals(v[i], out[i], 1e-6);
            }
        }

        @ParameterizedTest
        @MethodSource("dev.hansa.aggregation.aggregate.AggregationPipelineTest#aggregators")
        void staysWithinEachCoordinatesRange(String name) {
            Random r = new Random(9);
            List<Update> updates = List.of(update("a", "train", 1, random(r)), update("b", "train", 1, random(r)),
                    update("c", "train", 1, random(r)), update("d", "train", 1, random(r)));
            double[] out = aggregate(name, updates);
            for (int i = 0; i < out.length; i++) {
                int j = i;
                double lo = updates.stream().mapToDouble(u -> u.values().values()[j]).min().orElseThrow();
                double hi = updates.stream().mapToDouble(u -> u.values().values()[j]).max().orElseThrow();
                assertTrue(out[i] >= lo - 1e-9 && out[i] <= hi + 1e-9, name + " coordinate " + i);
            }
        }

        private double[] aggregate(String name, List<Update> updates) {
            AggregationPipeline p = pipeline(name, UpdateWeighting.UNIFORM);
            RoundAggregation a = p.start(SPEC, 1);
            updates.forEach(u -> a.add(p.admit(u, u.numSamples())));
            return a.result().role("train").orElseThrow().mean();
        }
    }

    @Test
    void theMeanIsTheSampleWeightedMeanInDouble() {
        AggregationPipeline p = pipeline("mean", UpdateWeighting.SAMPLES);
        assertTrue(p.streaming());
        RoundAggregation a = p.start(SPEC, 0);
        Random r = new Random(10);
        float[] x = random(r), y = random(r);
        a.add(p.admit(update("a", "train", 3, x), 3));
        a.add(p.admit(update("b", "train", 5, y), 5));
        GroupAggregate g = a.result().role("train").orElseThrow();
        for (int i = 0; i < x.length; i++) {
            assertEquals((3.0 * x[i] + 5.0 * y[i]) / 8, g.mean()[i], 1e-15);
        }
        assertEquals(8, g.totalSamples());
        assertEquals((3.0 * 3 + 5.0 * 5) / 8, g.metricMeans().get("train_loss"), 1e-15, "metrics weighted alike");
    }

    @Test
    void theMedianIsTakenPerCoordinateAndScaledToTheTotalWeight() {
        AggregationPipeline p = pipeline("median", UpdateWeighting.SAMPLES);
        assertFalse(p.streaming());
        RoundAggregation a = p.start(SPEC, 0);
        a.add(p.admit(update("a", "train", 1, 1, 2, 3, 4, 5, 6, 7, 8, 9), 1));
        a.add(p.admit(update("b", "train", 2, 9, 8, 7, 6, 5, 4, 3, 2, 1), 2));
        a.add(p.admit(update("c", "train", 3, 100, -100, 0, 0, 0, 0, 0, 0, 1e6f), 3));
        GroupAggregate g = a.result().role("train").orElseThrow();
        assertArrayEquals(new double[] {9, 2, 3, 4, 5, 4, 3, 2, 9}, g.mean(), 1e-12);
        assertEquals(6.0, g.totalWeight());
    }

    @Test
    void rolesAreAggregatedApart() {
        AggregationPipeline p = pipeline("mean", UpdateWeighting.UNIFORM);
        RoundAggregation a = p.start(SPEC, 0);
        a.add(p.admit(update("a", "anchor", 1, new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}), 1));
        a.add(p.admit(update("b", "miner", 1, new float[] {2, 2, 2, 2, 2, 2, 2, 2, 2}), 1));
        a.add(p.admit(update("c", "miner", 1, new float[] {4, 4, 4, 4, 4, 4, 4, 4, 4}), 1));
        RoundAggregate r = a.result();
        assertEquals(3, r.count());
        assertEquals(1.0, r.role("anchor").orElseThrow().mean()[0]);
        assertEquals(3.0, r.role("miner").orElseThrow().mean()[0]);
        assertEquals(6.0, r.role("miner").orElseThrow().sum()[0]);
    }

    @Test
    void bucketingAveragesShuffledBucketsCarryingTheirWeight() {
        Random r = new Random(11);
        List<float[]> rows = new ArrayList<>();
        double[] weights = new double[5];
        for (int i = 0; i < 5; i++) {
            rows.add(random(r));
            weights[i] = i + 1;
        }
        UpdateBatch in = new HeapBatch(rows, weights, SPEC.parameterCount());
        UpdateBatch out = new Bucketing(2).apply(in, 42);
        assertEquals(3, out.size());
        assertEquals(15.0, out.weights()[0] + out.weights()[1] + out.weights()[2], 1e-12);
        double[] before = new double[9];
        for (int j = 0; j < 9; j++) {
            for (int i = 0; i < 5; i++) {
                before[j] += weights[i] * rows.get(i)[j];
            }
        }
        assertArrayEquals(before, out.combine(out.weights()), 1e-12, "bucketing keeps the weighted sum");
        float[] buckets = new float[3 * 9];
        out.readColumns(0, 9, buckets);
        boolean[] used = new boolean[5];
        for (int b = 0; b < 3; b++) {
            int found = -1;
            for (int subset = 1; subset < 32 && found < 0; subset++) {
                if (Integer.bitCount(subset) <= 2 && isWeightedMeanOf(subset, rows, weights, buckets, b)) {
                    found = subset;
                }
            }
            assertTrue(found > 0, "bucket " + b + " is the weighted mean of at most two updates");
            for (int i = 0; i < 5; i++) {
                if ((found >> i & 1) == 1) {
                    assertFalse(used[i], "update " + i + " is in one bucket only");
                    used[i] = true;
                }
            }
        }
        float[] again = new float[3 * 9];
        new Bucketing(2).apply(in, 42).readColumns(0, 9, again);
        assertArrayEquals(buckets, again, "seeded");
    }

    private static boolean isWeightedMeanOf(int subset, List<float[]> rows, double[] weights, float[] buckets, int b) {
        double total = 0;
        for (int i = 0; i < rows.size(); i++) {
            total += (subset >> i & 1) * weights[i];
        }
        for (int j = 0; j < 9; j++) {
            double mean = 0;
            for (int i = 0; i < rows.size(); i++) {
                mean += (subset >> i & 1) * weights[i] * rows.get(i)[j] / total;
            }
            if (Math.abs(mean - buckets[b * 9 + j]) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aRescalingStepAfterAMixingOneIsRefused() {
        PreAggregator rescale = new PreAggregator() {
            @Override
            public String name() {
                return "rescale";
            }

            @Override
            public Map<String, Object> params() {
                return Map.of();
            }

            @Override
            public boolean mixesRows() {
                return false;
            }

            @Override
            public UpdateBatch apply(UpdateBatch batch, long seed) {
                return batch;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AggregationPipeline.Settings(
                new CoordinateMedian(0), List.of(new Bucketing(2), rescale), 0, 0, AggregationPipeline.NormPolicy.REJECT, 10));
        assertTrue(e.getMessage().startsWith("robustness.preAggregators[1]: rescale after bucketing"), e.getMessage());
        new AggregationPipeline.Settings(new CoordinateMedian(0), List.of(rescale, new Bucketing(2)), 0, 0,
                AggregationPipeline.NormPolicy.REJECT, 10);
    }

    @Test
    void aRoleWithFewerUpdatesThanTheRuleNeedsFailsTheRound() {
        WholeRoundAggregator needsThree = new WholeRoundAggregator() {
            @Override
            public String name() {
                return "needs-three";
            }

            @Override
            public int minUpdates() {
                return 3;
            }

            @Override
            public double[] aggregate(UpdateBatch batch) {
                return new CoordinateMedian(0).aggregate(batch);
            }
        };
        AggregationPipeline p = new AggregationPipeline(new AggregationPipeline.Settings(needsThree, List.of(), 0, 0,
                AggregationPipeline.NormPolicy.REJECT, 100), UpdateWeighting.UNIFORM);
        RoundAggregation a = p.start(SPEC, 0);
        a.add(p.admit(update("a", "train", 1, random(new Random(1))), 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, a::result);
        assertTrue(e.getMessage().contains("at least 3 updates"), e.getMessage());
    }
}
