package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.Aggregator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MinimumDiameterAveragingTest {

    /** Every k-subset of {0..n-1} in lexicographic order, built by recursion (independent of {@link Subsets}). */
    static List<int[]> subsets(int n, int k) {
        List<int[]> out = new ArrayList<>();
        collect(n, k, 0, new int[k], 0, out);
        return out;
    }

    private static void collect(int n, int k, int depth, int[] chosen, int from, List<int[]> out) {
        if (depth == k) {
            out.add(chosen.clone());
            return;
        }
        for (int i = from; i < n; i++) {
            chosen[depth] = i;
            collect(n, k, depth + 1, chosen, i + 1, out);
        }
    }

    /** The reference: the first subset of least diameter (unsquared distances), scanned without pruning. */
    static double[] mda(double[][] x, int f) {
        int[] best = null;
        double bestDiameter = Double.POSITIVE_INFINITY;
        for (int[] s : subsets(x.length, x.length - f)) {
            double diameter = 0;
            for (int i : s) {
                for (int j : s) {
                    diameter = Math.max(diameter, RobustRows.distance(x[i], x[j]));
                }
            }
            if (diameter < bestDiameter) {
                bestDiameter = diameter;
                best = s;
            }
        }
        return RobustRows.mean(x, best);
    }

    @Test
    void matchesAnExhaustiveScanOfTheRowsThemselves() {
        for (int seed = 0; seed < 5; seed++) {
            List<float[]> rows = RobustRows.gaussian(9, 60, seed, 100, 2);
            assertClose(mda(RobustRows.doubles(rows), 3), new MinimumDiameterAveraging(3).aggregate(
                    RobustRows.batch(rows)), 1e-12);
        }
    }

    @Test
    void theFirstSubsetWinsATie() {
        // {0, 1, 2} and {1, 2, 3} both have diameter 2; the first wins, as ByzFL's strict comparison keeps it. The
        // mean 1.5 and the centred rows are exact, so the tie is exact too; ByzFL's own example ties rows 1, 4, 7,
        // whose mean 4 comes out of (1 + 4 + 7) / 3 rounded, and there rounding decides.
        double[] out = new MinimumDiameterAveraging(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {0}, new double[] {1}, new double[] {2}, new double[] {3})));
        assertEquals(1, out[0], 1e-12);
    }

    @Test
    void dropsTheOutlierOnALine() {
        double[] out = new MinimumDiameterAveraging(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {0}, new double[] {1}, new double[] {3}, new double[] {100})));
        assertEquals(4 / 3.0, out[0], 1e-12);
    }

    @Test
    void refusesARoundWithMoreSubsetsThanItsBound() {
        // C(40, 10) = 847,660,528 subsets: refused before any distance is computed.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new MinimumDiameterAveraging(10)
                .aggregate(RobustRows.batch(RobustRows.gaussian(40, 3, 1, 0, 0))));
        assertTrue(e.getMessage().contains("mda") && e.getMessage().contains("C(40, 10) = 847660528")
                && e.getMessage().contains("1000000"), e.getMessage());
        assertEquals(593_775, Subsets.count(30, 24), "n = 30, f = 6 is within the bound");
        assertEquals(Long.MAX_VALUE, Subsets.count(200, 100));
    }

    @Test
    void needsAMajorityOfHonestUpdates() {
        Aggregator a = Aggregators.aggregator(MinimumDiameterAveraging.NAME, 2);
        assertEquals(5, a.minUpdates());
        assertEquals("n > 2f", a.requirement());
    }
}
