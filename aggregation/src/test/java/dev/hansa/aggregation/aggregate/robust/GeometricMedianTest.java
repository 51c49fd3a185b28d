package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.Aggregator;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeometricMedianTest {

    /** A fixed input: five updates close together, two far off (rows 4 and 6). Floats exactly. */
    static final double[][] FIXED = {
        {1.0, 2.0, -0.5, 3.25, 0.125},
        {1.5, 1.75, -0.25, 3.0, 0.0},
        {0.75, 2.25, -1.0, 2.5, 0.5},
        {1.25, 2.5, 0.0, 3.5, -0.25},
        {12.0, -8.0, 6.0, -4.0, 10.0},
        {1.0, 1.5, -0.75, 2.75, 0.25},
        {-9.0, 7.5, 3.0, 20.0, -6.0},
    };
    static final double[] FIXED_WEIGHTS = {1, 2, 1, 3, 1, 2, 1};

    @Test
    void matchesTheWeiszfeldIterationOnTheRowsThemselves() {
        int n = 9;
        int d = RowGeometry.BLOCK_COLUMNS + 300;
        List<float[]> rows = RobustRows.gaussian(n, d, 1, 500, 3);
        double[] weights = {1, 2, 3, 1, 2, 3, 1, 2, 3};
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) {
            alpha[i] = weights[i] / 18;
        }
        double[] expected = RobustRows.weiszfeld(RobustRows.doubles(rows), alpha, 0.1, 8);
        double[] actual = new GeometricMedian(3, 8, 0.1).aggregate(new HeapBatch(rows, weights, d));
        assertClose(expected, actual, 1e-6);
    }

    /**
     * Expected values from a plain numpy (float64) reimplementation of the smoothed Weiszfeld iteration from z = 0, run
     * once with Debian's python3 (numpy 1.24.2) on {@link #FIXED}, and pasted here.
     */
    @Test
    void matchesANumpyReimplementationOnAFixedInput() {
        assertClose(new double[] {1.093553053364699, 1.9431261486175937, -0.4417438507066625, 3.1419967629305097,
                0.1332288494871132}, geomed(8, 0.1, null), 1e-6);
        assertClose(new double[] {1.2175063804057487, 1.9535951634296642, -0.33446539053090824, 3.1307321819698797,
                0.0477849744583805}, geomed(8, 0.1, FIXED_WEIGHTS), 1e-6);
        assertClose(new double[] {1.1323834623372817, 1.9206642252456396, -0.4192219904064297, 3.1143843678986056,
                0.12853816707891333}, geomed(3, 0.1, null), 1e-6);
        assertClose(new double[] {1.1289216908247706, 1.9063120078784355, -0.31294509241495944, 3.1689023520992463,
                0.2051463037833238}, geomed(50, 2.0, null), 1e-6);
    }

    private static double[] geomed(int iterations, double nu, double[] weights) {
        List<float[]> rows = RobustRows.of(FIXED);
        UpdateBatch batch = weights == null ? RobustRows.batch(rows) : new HeapBatch(rows, weights, 5);
        return new GeometricMedian(2, iterations, nu).aggregate(batch);
    }

    @Test
    void oneStepFromZeroWeighsEachUpdateByItsInverseNorm() {
        // beta = (1/0.1, 1/1, 1/10): z = (0 * 10 + 1 * 1 + 10 * 0.1) / 11.1; the norms carry the float Gram's rounding.
        double[] out = new GeometricMedian(1, 1, 0.1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {0}, new double[] {1}, new double[] {10})));
        assertEquals(2 / 11.1, out[0], 1e-6);
    }

    @Test
    void manyIterationsReachTheMedianOfThreePointsOnALine() {
        double[] out = new GeometricMedian(1, 200, 1e-6).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {0, 0}, new double[] {1, 1}, new double[] {10, 10})));
        assertEquals(1, out[0], 1e-4);
        assertEquals(1, out[1], 1e-4);
    }

    @Test
    void configuredByNameWithDefaultsAndRequirement() {
        Aggregator a = Aggregators.aggregator(GeometricMedian.NAME, 2);
        assertEquals(Map.of("iterations", 8, "nu", 0.1), a.params());
        assertEquals(5, a.minUpdates());
        assertEquals("n > 2f", a.requirement());
    }

    @Test
    void refusesBadParametersNamingTheField() {
        for (var bad : List.<Map<String, Object>>of(Map.of("iterations", 0), Map.of("nu", 0), Map.of("nu", -1.0),
                Map.of("T", 3))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    Aggregators.robustness(Map.of("aggregator", "geomed", "aggregatorParams", bad)));
            String field = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains("robustness.aggregatorParams") && e.getMessage().contains(field),
                    e.getMessage());
        }
    }
}
