package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import org.junit.jupiter.api.Test;

class CoordinateMedianTest implements RobustRuleContract {

    @Override
    public WholeRoundAggregator rule(int f) {
        return new CoordinateMedian(f);
    }

    @Override
    public double[] reference(RobustCases.Round round, int f) {
        return RobustReference.median(round.asRead());
    }

    @Override
    public int paperBound(int f) {
        return 2 * f + 1;
    }

    @Test
    void ofAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        // Columns: {1, 5, 2, 10} -> 2 and 5 in the middle; {4, -4, 0, 1} -> 0 and 1; {7, 7, 7, 8} -> 7 and 7.
        HeapBatch batch = RobustCases.heap(new float[] {1, 4, 7}, new float[] {5, -4, 7}, new float[] {2, 0, 7},
                new float[] {10, 1, 8});
        assertArrayEquals(new double[] {3.5, 0.5, 7}, new CoordinateMedian(1).aggregate(batch));
    }

    @Test
    void ofAnOddCountIsTheMiddleValue() {
        HeapBatch batch = RobustCases.heap(new float[] {3, -1}, new float[] {100, 0}, new float[] {-7, 2});
        assertArrayEquals(new double[] {3, 0}, new CoordinateMedian(1).aggregate(batch));
    }
}
