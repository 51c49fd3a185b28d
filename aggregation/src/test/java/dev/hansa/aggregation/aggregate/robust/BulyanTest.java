package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import org.junit.jupiter.api.Test;

class BulyanTest implements RobustRuleContract {

    @Override
    public WholeRoundAggregator rule(int f) {
        return new Bulyan(f);
    }

    /** Selection on the rows as combined, the coordinate phase on the values as read. */
    @Override
    public double[] reference(RobustCases.Round round, int f) {
        return RobustReference.bulyan(round.exact(), round.asRead(), f);
    }

    @Override
    public int paperBound(int f) {
        return 4 * f + 3;
    }

    /**
     * n = 7, f = 1: theta = 5 selections, then the mean of beta = 3 values per coordinate. First coordinates 0, 2, 3,
     * 7, 12, 40, -25; the second (at most 8/64 apart) barely moves a distance. Krum on k remaining updates with
     * max(1, k - 3) neighbours:
     * <ul>
     *   <li>k = 7, 4 neighbours: scores 206, 130, 107, 115, 350, 4686, 3162: picks 3 (update 2);</li>
     *   <li>k = 6, 3: 0 -> 197, 2 -> 129, 7 -> 99, 12 -> 269, 40 -> 3317, -25 -> 2378: picks 7 (update 3);</li>
     *   <li>k = 5, 2: 0 -> 148, 2 -> 104, 12 -> 244, ...: picks 2 (update 1);</li>
     *   <li>k = 4, 1: 0 and 12 both 144 (each other's nearest), 40 -> 784, -25 -> 625: the first, 0 (update 0);</li>
     *   <li>k = 3, 1: 12 and 40 both 784, -25 -> 1369: the first, 12 (update 4).</li>
     * </ul>
     * First coordinate: selected {0, 2, 3, 7, 12}, median 3, the three nearest 3, 2, 0: mean 5/3. Second: selected
     * {0, 5, 6, 7, 8} / 64, median 6/64, nearest 5, 6, 7: mean 6/64 (the window slid up by one).
     */
    @Test
    void selectsByRepeatedKrumThenAveragesTheValuesNearestTheMedian() {
        HeapBatch batch = RobustCases.heap(new float[] {0, 5 / 64f}, new float[] {2, 7 / 64f},
                new float[] {3, 8 / 64f}, new float[] {7, 6 / 64f}, new float[] {12, 0}, new float[] {40, 1},
                new float[] {-25, 1});
        assertArrayEquals(new int[] {2, 3, 1, 0, 4}, Bulyan.selection(batch.geometry(), 1));
        assertArrayEquals(new double[] {5.0 / 3, 6.0 / 64}, new Bulyan(1).aggregate(batch), 1e-15);
    }

    /**
     * Selected {0, 2, 3, 6, 7} (in the order 3, 2, 6, 0, 7; the outliers +-1000 stay out): median 3, and the windows
     * {0, 2, 3} and {2, 3, 6} reach equally far from it (3). The window keeps the lower values: 5/3, not 11/3.
     */
    @Test
    void ofTwoWindowsEquallyFarFromTheMedianTheLowerIsKept() {
        HeapBatch batch = RobustCases.heap(new float[] {0}, new float[] {2}, new float[] {3}, new float[] {6},
                new float[] {7}, new float[] {1000}, new float[] {-1000});
        assertArrayEquals(new int[] {2, 1, 3, 0, 4}, Bulyan.selection(batch.geometry(), 1));
        assertArrayEquals(new double[] {5.0 / 3}, new Bulyan(1).aggregate(batch), 1e-15);
    }

    @Test
    void statesItsBound() {
        assertEquals("n >= 4f + 3", new Bulyan(2).requirement());
    }
}
