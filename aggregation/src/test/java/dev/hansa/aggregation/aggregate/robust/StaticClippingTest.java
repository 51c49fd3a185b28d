package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticClippingTest {

    /** The reference: each row scaled by min(1, c / ||row||). */
    static double[][] clip(double[][] x, double c) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double factor = Math.min(1, c / RobustRows.norm(x[i]));
            out[i] = x[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= factor;
            }
        }
        return out;
    }

    @Test
    void scalesEachRowToTheBoundAndKeepsItsWeight() {
        List<float[]> rows = RobustRows.gaussian(8, 100, 7, 12, 3);
        double[] weights = {3, 1, 4, 1, 5, 9, 2, 6};
        UpdateBatch out = new StaticClipping(15).apply(new HeapBatch(rows, weights, 100), 0);
        assertArrayEquals(weights, out.weights());
        double[][] expected = clip(RobustRows.doubles(rows), 15);
        double[][] actual = RobustRows.materialise(out);
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-6);
        }
        double[] norms = out.geometry().squaredNorms();
        for (int i = 0; i < norms.length; i++) {
            assertTrue(Math.sqrt(norms[i]) <= 15 * (1 + 1e-6), "row " + i + " norm " + Math.sqrt(norms[i]));
        }
    }

    @Test
    void byzflsExampleByHand() {
        // Norms sqrt(14), sqrt(77), sqrt(194), all above 2: each row becomes 2 x / ||x||.
        double[][] rows = RobustRows.materialise(new StaticClipping(2).apply(RobustRows.batch(RobustRows.of(
                new double[] {1, 2, 3}, new double[] {4, 5, 6}, new double[] {7, 8, 9})), 0));
        assertArrayEquals(new double[] {0.53452248, 1.06904497, 1.60356745}, rows[0], 1e-6);
        assertArrayEquals(new double[] {0.91168461, 1.13960576, 1.36752692}, rows[1], 1e-6);
        assertArrayEquals(new double[] {1.00514142, 1.14873305, 1.29232469}, rows[2], 1e-6);
    }

    @Test
    void thenMedianThroughThePipelineMatchesTheReferences() {
        List<float[]> rows = RobustRows.gaussian(7, 2 * ColumnSorter.COLUMNS_PER_READ + 3, 8, 10, 2);
        double[] expected = CenteredClippingTest.median(clip(RobustRows.doubles(rows), 40));
        double[] actual = RobustRows.throughPipeline(Map.of("aggregator", "median", "f", 2,
                "preAggregators", List.of(Map.of("name", "clipping", "c", 40))), rows);
        assertClose(expected, actual, 1e-6);
    }

    @Test
    void refusesABadBoundNamingTheField() {
        for (Object bad : List.of(0, -1.5, "2", Double.POSITIVE_INFINITY)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    Aggregators.robustness(Map.of("preAggregators", List.of(
                            Map.of("name", "nnm"), Map.of("name", "clipping", "c", bad)))));
            assertTrue(e.getMessage().startsWith("robustness.preAggregators[1].c must be"), e.getMessage());
        }
        assertEquals(Map.of("c", 2.0), Aggregators.robustness(Map.of("preAggregators",
                List.of(Map.of("name", "clipping")))).preAggregators().getFirst().params());
    }
}
