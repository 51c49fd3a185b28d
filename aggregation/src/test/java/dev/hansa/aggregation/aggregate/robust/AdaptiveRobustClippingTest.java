package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.aggregate.PreAggregator;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdaptiveRobustClippingTest {

    /** The reference: the k rows of largest norm clipped to the norm of the largest other one. */
    static double[][] arc(double[][] x, int f) {
        int n = x.length;
        int k = (int) Math.floor(2.0 * f * (n - f) / n);
        int[] ascending = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> RobustRows.norm(x[i]))).mapToInt(i -> i).toArray();
        double bound = RobustRows.norm(x[ascending[n - k - 1]]);
        double[][] out = new double[n][];
        for (int r = 0; r < n; r++) {
            int i = ascending[r];
            double factor = r >= n - k ? bound / RobustRows.norm(x[i]) : 1;
            out[i] = x[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= factor;
            }
        }
        return out;
    }

    @Test
    void clipsTheLargestRowsToTheNormOfTheLargestOtherOne() {
        List<float[]> rows = RobustRows.gaussian(10, 90, 9, 30, 3);
        UpdateBatch out = new AdaptiveRobustClipping(3).apply(RobustRows.batch(rows), 0);
        double[][] expected = arc(RobustRows.doubles(rows), 3);
        double[][] actual = RobustRows.materialise(out);
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-6);
        }
    }

    @Test
    void byzflsExampleByHand() {
        // n = 3, f = 1: k = floor(2 * 2 / 3) = 1; the largest row is clipped to ||(4, 5, 6)|| = sqrt(77).
        double[][] rows = RobustRows.materialise(new AdaptiveRobustClipping(1).apply(RobustRows.batch(RobustRows.of(
                new double[] {1, 2, 3}, new double[] {4, 5, 6}, new double[] {7, 8, 9})), 0));
        assertArrayEquals(new double[] {1, 2, 3}, rows[0], 1e-6);
        assertArrayEquals(new double[] {4, 5, 6}, rows[1], 1e-6);
        assertArrayEquals(new double[] {4.41004009, 5.04004582, 5.67005155}, rows[2], 1e-6);
    }

    @Test
    void clipsFloorOfTwoFTimesTheHonestShareInIntegers() {
        assertEquals(1, new AdaptiveRobustClipping(1).clipped(3));
        assertEquals(4, new AdaptiveRobustClipping(3).clipped(9), "2 * 3 * 6 / 9 = 4 exactly");
        assertEquals(4, new AdaptiveRobustClipping(3).clipped(10), "4.2");
        assertEquals(5, new AdaptiveRobustClipping(5).clipped(10));
        assertEquals(0, new AdaptiveRobustClipping(0).clipped(10));
        assertEquals(0, new AdaptiveRobustClipping(4).clipped(4), "n = f clips nothing");
    }

    @Test
    void withNothingToClipTheRowsAreUnchanged() {
        List<float[]> rows = RobustRows.gaussian(5, 20, 10, 3, 1);
        double[][] out = RobustRows.materialise(new AdaptiveRobustClipping(0).apply(RobustRows.batch(rows), 0));
        double[][] in = RobustRows.doubles(rows);
        for (int i = 0; i < in.length; i++) {
            assertArrayEquals(in[i], out[i]);
        }
    }

    @Test
    void needsAtLeastFUpdates() {
        PreAggregator p = new AdaptiveRobustClipping(4);
        assertEquals(4, p.minUpdates());
        assertEquals("n >= f", p.requirement());
        assertEquals(1, new AdaptiveRobustClipping(0).minUpdates());
        assertEquals(Map.of(), p.params());
    }
}
