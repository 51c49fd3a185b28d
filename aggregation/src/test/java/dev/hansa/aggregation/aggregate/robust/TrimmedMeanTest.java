package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.Aggregator;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import dev.hansa.aggregation.config.Hyperparameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimmedMeanTest implements RobustRuleContract {

    @Override
    public WholeRoundAggregator rule(int f) {
        return new TrimmedMean(f, f);
    }

    @Override
    public double[] reference(RobustCases.Round round, int f) {
        return RobustReference.trimmedMean(round.asRead(), f);
    }

    @Override
    public int paperBound(int f) {
        return 2 * f + 1;
    }

    @Test
    void ofAnEvenCountDropsBPerSideAndAveragesTheRest() {
        // Column 0: {1, 2, 3, 4, 100, -50} without -50 and 100 -> (1 + 2 + 3 + 4) / 4; column 1: without 0 and 9.
        HeapBatch batch = RobustCases.heap(new float[] {1, 9}, new float[] {2, 5}, new float[] {3, 5},
                new float[] {4, 0}, new float[] {100, 6}, new float[] {-50, 6});
        assertArrayEquals(new double[] {2.5, 5.5}, new TrimmedMean(1, 1).aggregate(batch));
    }

    @Test
    void trimmingMoreThanFIsAllowed() {
        RobustCases.Round round = new RobustCases(4, 11, 1, 300, false).round();
        assertArrayEquals(RobustReference.trimmedMean(round.asRead(), 3),
                new TrimmedMean(1, 3).aggregate(round.batch()), 1e-9);
        assertEquals(7, new TrimmedMean(1, 3).minUpdates());
        assertEquals("n > 2 trim, trim = 3", new TrimmedMean(1, 3).requirement());
    }

    @Test
    void withNothingTrimmedIsThePlainMean() {
        HeapBatch batch = RobustCases.heap(new float[] {1}, new float[] {2}, new float[] {6});
        assertArrayEquals(new double[] {3}, new TrimmedMean(0, 0).aggregate(batch));
    }

    @Test
    void trimDefaultsToFAndIsRecorded() {
        Aggregator rule = Aggregators.aggregator(TrimmedMean.NAME, 2);
        assertEquals(Map.of("trim", 2), rule.params());
        assertEquals(5, rule.minUpdates());
    }

    @Test
    void refusesATrimBelowFOrNotACountNamingTheField() {
        for (Object bad : new Object[] {1, -1, 2.5, "3"}) {
            Hyperparameters params = new Hyperparameters("robustness.aggregatorParams", TrimmedMean.NAME,
                    Map.of("trim", bad));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Aggregators.aggregator(TrimmedMean.NAME, params, 2), String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("robustness.aggregatorParams.trim must be"), e.getMessage());
        }
    }
}
