package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MeamedTest {

    /**
     * The reference, per coordinate: order the values by distance to the median, equal distances lower value first,
     * and average the first n - f.
     */
    static double[] meamed(double[][] x, int f) {
        int n = x.length;
        double[] median = CenteredClippingTest.median(x);
        double[] out = new double[x[0].length];
        for (int j = 0; j < out.length; j++) {
            int col = j;
            double m = median[j];
            out[j] = IntStream.range(0, n).mapToObj(i -> x[i][col])
                    .sorted(Comparator.<Double>comparingDouble(v -> Math.abs(v - m)).thenComparingDouble(v -> v))
                    .limit(n - f).mapToDouble(Double::doubleValue).average().orElseThrow();
        }
        return out;
    }

    @Test
    void matchesTheDefinitionAcrossColumnBlocksWithManyTies() {
        // Small integers make equal distances to the median common, so the tie rule is exercised.
        Random r = new Random(3);
        for (int n : new int[] {7, 8}) {
            List<float[]> rows = new ArrayList<>();
            int d = 2 * ColumnSorter.COLUMNS_PER_READ + 5;
            for (int i = 0; i < n; i++) {
                float[] row = new float[d];
                for (int j = 0; j < d; j++) {
                    row[j] = r.nextInt(7) - 3;
                }
                rows.add(row);
            }
            assertClose(meamed(RobustRows.doubles(rows), 3), new Meamed(3).aggregate(RobustRows.batch(rows)), 1e-12);
        }
    }

    @Test
    void matchesTheDefinitionOnGaussianRows() {
        List<float[]> rows = RobustRows.gaussian(11, 300, 4, 10, 4);
        assertClose(meamed(RobustRows.doubles(rows), 4), new Meamed(4).aggregate(RobustRows.batch(rows)), 1e-12);
    }

    @Test
    void averagesTheValuesClosestToTheMedianByHand() {
        // Column [1, 4, 7]: median 4, 1 and 7 equally far: the upper end goes, mean(1, 4) = 2.5 (ByzFL's example).
        double[] out = new Meamed(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {1, 2, 3}, new double[] {4, 5, 6}, new double[] {7, 8, 9})));
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, out, 1e-12);
        // Even count [1, 2, 3, 10]: median 2.5, 10 is farthest: mean(1, 2, 3) = 2.
        assertEquals(2, new Meamed(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {10}, new double[] {1}, new double[] {3}, new double[] {2})))[0], 1e-12);
    }

    @Test
    void needsAMajorityOfHonestUpdates() {
        assertEquals(5, Aggregators.aggregator(Meamed.NAME, 2).minUpdates());
    }
}
