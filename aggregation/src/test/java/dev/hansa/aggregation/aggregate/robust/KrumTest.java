package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.MixedBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import org.junit.jupiter.api.Test;

class KrumTest implements RobustRuleContract {

    @Override
    public WholeRoundAggregator rule(int f) {
        return new Krum(f);
    }

    /** The row with the lowest score, as {@code combine} forms it. */
    @Override
    public double[] reference(RobustCases.Round round, int f) {
        return round.exact()[RobustReference.krum(round.exact(), f)];
    }

    @Override
    public int paperBound(int f) {
        return 2 * f + 3;
    }

    /**
     * Five points on a line, f = 1, so n - f - 2 = 2 neighbours. Squared distances to the two nearest: 0 -> 1 + 9 =
     * 10; 1 -> 1 + 4 = 5; 3 -> 4 + 9 = 13; 7 -> 16 + 36 = 52; 20 -> 169 + 289 = 458. Krum picks 1.
     */
    @Test
    void picksTheUpdateWithTheSmallestSumOfSquaredDistancesToItsNearest() {
        HeapBatch batch = RobustCases.heap(new float[] {0}, new float[] {1}, new float[] {3}, new float[] {7},
                new float[] {20});
        assertArrayEquals(new double[] {10, 5, 13, 52, 458}, Krum.scores(batch, 1), 1e-4);
        assertArrayEquals(new double[] {1}, new Krum(1).aggregate(batch));
    }

    /** -1 and 1 both score 4 + 4 = 8 (2 neighbours among -1, 1, -3, 3, 10): the first in participant order wins. */
    @Test
    void ofEqualScoresTheFirstUpdateWins() {
        assertArrayEquals(new double[] {1}, new Krum(1).aggregate(RobustCases.heap(new float[] {1}, new float[] {-1},
                new float[] {-3}, new float[] {3}, new float[] {10})));
        assertArrayEquals(new double[] {-1}, new Krum(1).aggregate(RobustCases.heap(new float[] {-1}, new float[] {1},
                new float[] {-3}, new float[] {3}, new float[] {10})));
    }

    /**
     * Rows mixed from 0, 2, 4 and 50: 1, 3, 4, 27 and 25. With 2 neighbours (f = 1) they score 4 + 9 = 13, 4 + 1 = 5,
     * 9 + 1 = 10, 529 + 4 = 533 and 441 + 4 = 445: Krum picks the second, and returns it as 0.5 * 2 + 0.5 * 4.
     */
    @Test
    void returnsTheChosenRowOfAMixedBatchAsItsCombination() {
        HeapBatch base = RobustCases.heap(new float[] {0}, new float[] {2}, new float[] {4}, new float[] {50});
        double[][] mix = {{0.5, 0.5, 0, 0}, {0, 0.5, 0.5, 0}, {0, 0, 1, 0}, {0, 0, 0.5, 0.5}, {0.5, 0, 0, 0.5}};
        MixedBatch mixed = new MixedBatch(base, mix, new double[] {1, 1, 1, 1, 1});
        assertArrayEquals(new double[] {13, 5, 10, 533, 445}, Krum.scores(mixed, 1), 1e-3);
        assertArrayEquals(new double[] {3}, new Krum(1).aggregate(mixed));
    }

    @Test
    void statesItsBound() {
        assertEquals("n > 2f + 2", new Krum(1).requirement());
    }
}
