package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.Aggregator;
import dev.hansa.aggregation.aggregate.ForwardingBatch;
import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import dev.hansa.aggregation.aggregate.robust.CenteredClipping.Start;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CenteredClippingTest {

    /** The reference iteration on materialised rows: {@code v <- v + (1/n) sum_i clip_tau(x_i - v)}. */
    static double[] centeredClipping(double[][] rows, double[] start, double tau, int iterations) {
        int n = rows.length;
        double[] v = start.clone();
        for (int t = 0; t < iterations; t++) {
            double[] step = new double[v.length];
            for (double[] row : rows) {
                double distance = RobustRows.distance(row, v);
                double factor = Math.min(1, tau / distance);
                for (int j = 0; j < v.length; j++) {
                    step[j] += factor * (row[j] - v[j]) / n;
                }
            }
            for (int j = 0; j < v.length; j++) {
                v[j] += step[j];
            }
        }
        return v;
    }

    /** The coordinate-wise median of materialised rows (mean of the middle two for an even count). */
    static double[] median(double[][] rows) {
        int n = rows.length;
        double[] out = new double[rows[0].length];
        for (int j = 0; j < out.length; j++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = rows[i][j];
            }
            Arrays.sort(column);
            out[j] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return out;
    }

    @Test
    void matchesTheIterationOnTheRowsThemselvesFromEitherStart() {
        int n = 10;
        int d = RowGeometry.BLOCK_COLUMNS + 2 * ColumnSorter.COLUMNS_PER_READ + 7;
        List<float[]> rows = RobustRows.gaussian(n, d, 2, 300, 3);
        double[][] x = RobustRows.doubles(rows);
        // tau between the honest spread (about sqrt(2 d)) and the outliers' (20 times that): some rows clip.
        double tau = 300;
        assertClose(centeredClipping(x, median(x), tau, 3),
                new CenteredClipping(3, tau, 3, Start.MEDIAN).aggregate(RobustRows.batch(rows)), 1e-6);
        assertClose(centeredClipping(x, new double[d], tau, 4),
                new CenteredClipping(3, tau, 4, Start.ZERO).aggregate(RobustRows.batch(rows)), 1e-6);
    }

    /**
     * Below the bound on every row's distance to any iterate (the farthest row from the mean plus the root of the
     * summed squared distances) nothing is clipped and the rule returns the mean without reading a column; just above
     * it the full iteration runs, and both match the reference iteration.
     */
    @Test
    void returnsTheMeanWithoutAColumnPassWhereNoRowCanBeClipped() {
        int n = 9;
        int d = 3 * ColumnSorter.COLUMNS_PER_READ + 5;
        List<float[]> rows = RobustRows.gaussian(n, d, 4, 300, 2);
        double[][] x = RobustRows.doubles(rows);
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double farthest = 0;
        double summed = 0;
        for (double[] row : x) {
            double distance = RobustRows.distance(row, mean);
            farthest = Math.max(farthest, distance);
            summed += distance * distance;
        }
        double bound = farthest + Math.sqrt(summed);
        for (double tau : new double[] {1.01 * bound, 0.99 * bound}) {
            ColumnCounter batch = new ColumnCounter(RobustRows.batch(rows));
            double[] out = new CenteredClipping(2, tau, 3, Start.MEDIAN).aggregate(batch);
            assertClose(centeredClipping(x, median(x), tau, 3), out, 1e-6);
            assertEquals(tau > bound, batch.reads == 0, "tau = " + tau + " of bound " + bound);
        }
        assertClose(mean, new CenteredClipping(2, 1.01 * bound, 3, Start.MEDIAN).aggregate(RobustRows.batch(rows)),
                1e-6);
    }

    /** A batch that counts its column reads. */
    private static final class ColumnCounter extends ForwardingBatch {
        int reads;

        ColumnCounter(UpdateBatch rows) {
            super(rows);
        }

        @Override
        public void readColumns(int from, int to, float[] out) {
            reads++;
            super.readColumns(from, to, out);
        }
    }

    /**
     * Expected values from a plain numpy (float64) reimplementation of the iteration (start: np.median or zeros), run
     * once with Debian's python3 (numpy 1.24.2) on {@link GeometricMedianTest#FIXED}, and pasted here.
     */
    @Test
    void matchesANumpyReimplementationOnAFixedInput() {
        assertClose(new double[] {1.24157901745813, 1.5685940130683098, 0.3258786827776026, 3.7114804116234934,
                0.4904472325551044}, cc(10, 3, Start.ZERO), 1e-6);
        assertClose(new double[] {1.1137030908386831, 1.9522244400329205, -0.39927283322810225, 3.086506141005787,
                0.16347312982993353}, cc(1, 3, Start.MEDIAN), 1e-6);
        assertClose(new double[] {1.2273998205584915, 1.5878489944488814, 0.3228482771138163, 3.741471667160017,
                0.4776609581974692}, cc(10, 3, Start.MEDIAN), 1e-6);
        assertClose(new double[] {1.1265252731958315, 1.8970654725654303, -0.311291905351653, 3.155081833228528,
                0.20634856846107294}, cc(2, 5, Start.ZERO), 1e-6);
    }

    private static double[] cc(double tau, int iterations, Start start) {
        return new CenteredClipping(2, tau, iterations, start).aggregate(RobustRows.batch(
                RobustRows.of(GeometricMedianTest.FIXED)));
    }

    @Test
    void stepsByHandOnALine() {
        // From the median 2: differences 0, 0, 8, clipped to 0, 0, 1; v = 2 + 1/3.
        UpdateBatch rows = RobustRows.batch(RobustRows.of(new double[] {2}, new double[] {2}, new double[] {10}));
        assertEquals(7 / 3.0, new CenteredClipping(1, 1, 1, Start.MEDIAN).aggregate(rows)[0], 1e-6);
        // Again from 7/3: differences -1/3, -1/3, 23/3 -> -1/3, -1/3, 1; v = 7/3 + (1/3)(1/3) = 22/9.
        assertEquals(22 / 9.0, new CenteredClipping(1, 1, 2, Start.MEDIAN).aggregate(rows)[0], 1e-6);
        // From zero: 2, 2, 10 each clipped to 1; v = 1.
        assertEquals(1, new CenteredClipping(1, 1, 1, Start.ZERO).aggregate(rows)[0], 1e-6);
    }

    @Test
    void configuredByNameWithDefaultsAndRequirement() {
        Aggregator a = Aggregators.aggregator(CenteredClipping.NAME, 1);
        assertEquals(Map.of("tau", 10.0, "iterations", 3, "start", "median"), a.params());
        assertEquals(3, a.minUpdates());
        Aggregator zero = Aggregators.robustness(Map.of("aggregator", CenteredClipping.NAME,
                "aggregatorParams", Map.of("start", "zero", "tau", 2.5, "iterations", 1))).aggregator();
        assertEquals(Map.of("tau", 2.5, "iterations", 1, "start", "zero"), zero.params());
    }

    @Test
    void refusesBadParametersNamingTheField() {
        for (var bad : List.<Map<String, Object>>of(Map.of("tau", 0), Map.of("iterations", -1),
                Map.of("start", "mean"), Map.of("L", 3))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    Aggregators.robustness(Map.of("aggregator", CenteredClipping.NAME,
                            "aggregatorParams", bad)));
            String field = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains("robustness.aggregatorParams") && e.getMessage().contains(field),
                    e.getMessage());
        }
    }
}
