package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The robust rules as a federation configures them: config map, Settings, a round's aggregation, its result. */
class RobustRoundTest {

    /** Two tensors, 1500 values: the coordinate passes read two column blocks. */
    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {30, 40}),
            new TensorSpec("b", new int[] {300}));

    /** {@code n} updates with sample counts 1..n; updates 2, 7, 12, ... far off. */
    static List<Update> updates(int n, long seed) {
        Random r = new Random(seed);
        List<Update> updates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[SPEC.parameterCount()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (r.nextGaussian() + (i % 5 == 2 ? 30 : 0));
            }
            updates.add(new Update("c" + i, "train", new Tensors(SPEC, v), i + 1, Map.of()));
        }
        return updates;
    }

    static double[][] rows(List<Update> updates) {
        return updates.stream().map(u -> RobustCases.widen(u.values().values())).toArray(double[][]::new);
    }

    static GroupAggregate aggregate(Map<String, Object> robustness, List<Update> updates) {
        AggregationPipeline p = new AggregationPipeline(Aggregators.robustness(robustness),
                UpdateWeighting.SAMPLES);
        assertFalse(p.streaming());
        RoundAggregation round = p.start(SPEC, 5);
        updates.forEach(u -> round.add(p.admit(u, u.numSamples())));
        return round.result().role("train").orElseThrow();
    }

    private static void assertRule(Map<String, Object> robustness, int n,
                                   BiFunction<double[][], Integer, double[]> reference) {
        List<Update> updates = updates(n, n);
        GroupAggregate g = aggregate(robustness, updates);
        assertArrayEquals(reference.apply(rows(updates), (Integer) robustness.get("f")), g.mean(), 1e-9,
                robustness.toString());
        assertEquals(n * (n + 1) / 2.0, g.totalWeight(), "the sum carries the round's total weight");
        assertEquals(n, g.count());
    }

    @Test
    void theTrimmedMeanTrimsAsConfigured() {
        assertRule(Map.of("aggregator", "trimmed-mean", "f", 2, "aggregatorParams", Map.of("trim", 3)), 10,
                (x, f) -> RobustReference.trimmedMean(x, 3));
    }

    @Test
    void krumReturnsTheUpdateWithTheLowestScore() {
        assertRule(Map.of("aggregator", "krum", "f", 2), 9, (x, f) -> x[RobustReference.krum(x, f)]);
    }

    @Test
    void multiKrumAveragesMOrByDefaultNMinusFUpdates() {
        assertRule(Map.of("aggregator", "multi-krum", "f", 2), 12,
                (x, f) -> RobustReference.plainMean(x, RobustReference.multiKrum(x, f, x.length - f)));
        assertRule(Map.of("aggregator", "multi-krum", "f", 2, "aggregatorParams", Map.of("m", 4)), 12,
                (x, f) -> RobustReference.plainMean(x, RobustReference.multiKrum(x, f, 4)));
    }

    @Test
    void bulyanSelectsThenAveragesNearTheMedian() {
        assertRule(Map.of("aggregator", "bulyan", "f", 2), 13, (x, f) -> RobustReference.bulyan(x, x, f));
    }

    @Test
    void behindBucketingTheRuleSeesTheBuckets() {
        List<Update> updates = updates(14, 3);
        GroupAggregate g = aggregate(Map.of("aggregator", "krum", "f", 1,
                "preAggregators", List.of(Map.of("name", "bucketing", "bucketSize", 2))), updates);
        double[] weights = updates.stream().mapToDouble(Update::numSamples).toArray();
        UpdateBatch batch = new HeapBatch(updates.stream().map(u -> u.values().values()).toList(), weights,
                SPEC.parameterCount());
        assertArrayEquals(new Krum(1).aggregate(new Bucketing(2).apply(batch, 5)), g.mean(), 1e-9);
    }

    @Test
    void theRoundRecordsTheRuleAndItsEffectiveParams() {
        Map<String, Object> trimmed = Aggregators.robustness(
                Map.of("aggregator", "trimmed-mean", "f", 2)).toMap();
        assertEquals("trimmed-mean", trimmed.get("aggregator"));
        assertEquals(Map.of("trim", 2), trimmed.get("aggregatorParams"));
        assertEquals(Map.of(), Aggregators.robustness(Map.of("aggregator", "multi-krum", "f", 1)).toMap()
                .get("aggregatorParams"), "m left to n - f of each round");
    }

    @Test
    void aRoundWithFewerUpdatesThanTheRuleNeedsFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> aggregate(Map.of("aggregator", "krum", "f", 1), updates(4, 1)));
        assertTrue(e.getMessage().contains("krum with f = 1 needs n > 2f + 2 (at least 5 updates), gets 4"),
                e.getMessage());
    }

    @Test
    void unknownParamsAreRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aggregators
                .robustness(Map.of("aggregator", "krum", "aggregatorParams", Map.of("m", 3))));
        assertTrue(e.getMessage().startsWith("robustness.aggregatorParams: unknown field(s) [m] for krum"),
                e.getMessage());
    }

    /** A federation whose rounds may open with fewer clients than its rule needs is refused when created. */
    @Nested
    class WhenScheduleMinClientsIsBelowTheRulesNeed {

        private static IllegalArgumentException configure(Map<String, ?> robustness, int minClients) {
            return assertThrows(IllegalArgumentException.class, () -> RoundConfig.configure("fedavg", Map.of(),
                    Map.of(), Map.of(), robustness, new RoundConfig.Sampling(Samplers.UNIFORM, 1.0, minClients, 50)));
        }

        @Test
        void theConfigIsRefusedNamingRobustnessAndTheBound() {
            record Case(Map<String, ?> robustness, int minClients, String reason) {
            }
            for (Case c : List.of(
                    new Case(Map.of("aggregator", "krum", "f", 2), 6, "krum with f = 2 needs n > 2f + 2 (at least 7"),
                    new Case(Map.of("aggregator", "multi-krum", "f", 1, "aggregatorParams", Map.of("m", 8)), 7,
                            "multi-krum with f = 1 needs n > 2f + 2 and n >= m = 8 (at least 8"),
                    new Case(Map.of("aggregator", "bulyan", "f", 2), 10,
                            "bulyan with f = 2 needs n >= 4f + 3 (at least 11"),
                    new Case(Map.of("aggregator", "trimmed-mean", "f", 1, "aggregatorParams", Map.of("trim", 3)), 6,
                            "trimmed-mean with f = 1 needs n > 2 trim, trim = 3 (at least 7"))) {
                IllegalArgumentException e = configure(c.robustness(), c.minClients());
                assertTrue(e.getMessage().startsWith("robustness: " + c.reason()), e.getMessage());
                assertTrue(e.getMessage().endsWith("gets " + c.minClients() + " in a round of schedule.minClients"),
                        e.getMessage());
            }
        }

        @Test
        void atTheBoundItIsAccepted() {
            RoundConfig.Configured ok = RoundConfig.configure("fedavg", Map.of(), Map.of(), Map.of(),
                    Map.of("aggregator", "bulyan", "f", 2), new RoundConfig.Sampling(Samplers.UNIFORM, 1.0, 11, 50));
            assertEquals("bulyan", ((Map<?, ?>) ok.pipeline().get("robustness")).get("aggregator"));
        }
    }
}
