package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.MixedBatch;
import dev.hansa.aggregation.aggregate.PreAggregator;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NearestNeighbourMixingTest {

    /** The reference: row i becomes the mean of itself and its n - f - 1 nearest others (ties: lower index). */
    static double[][] nnm(double[][] x, int f) {
        int n = x.length;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            int self = i;
            int[] chosen = IntStream.concat(IntStream.of(i), IntStream.range(0, n).filter(j -> j != self).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> RobustRows.distance(x[self], x[j]))
                            .thenComparingInt(j -> j))
                    .limit(n - f - 1).mapToInt(Integer::intValue)).toArray();
            out[i] = RobustRows.mean(x, chosen);
        }
        return out;
    }

    @Test
    void mixesEachRowWithItsNearestNeighboursAndKeepsItsWeight() {
        List<float[]> rows = RobustRows.gaussian(10, 70, 5, 200, 3);
        double[] weights = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        UpdateBatch out = new NearestNeighbourMixing(3).apply(new HeapBatch(rows, weights, 70), 0);
        assertInstanceOf(MixedBatch.class, out);
        assertArrayEquals(weights, out.weights());
        double[][] expected = nnm(RobustRows.doubles(rows), 3);
        double[][] actual = RobustRows.materialise(out);
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 1e-6);
        }
    }

    @Test
    void mixesByHandWithTiesToTheLowerIndex() {
        // Rows 0, 1, 2, 3 and f = 2: each row with its one nearest other; rows 1 and 2 each have two at distance 1 and
        // take the lower. (The mean 1.5 and the centred rows are exact, so the ties are exact; in ByzFL's example on
        // rows 1, 4, 7 the mean 4 comes out of a rounded division, and rounding decides its tie.)
        double[][] rows = RobustRows.materialise(new NearestNeighbourMixing(2).apply(RobustRows.batch(RobustRows.of(
                new double[] {0}, new double[] {1}, new double[] {2}, new double[] {3})), 0));
        assertArrayEquals(new double[][] {{0.5}, {0.5}, {1.5}, {2.5}}, rows);
    }

    @Test
    void thenGeometricMedianThroughThePipelineMatchesTheReferences() {
        List<float[]> rows = RobustRows.gaussian(9, 50, 6, 100, 2);
        double[] expected = RobustRows.weiszfeld(nnm(RobustRows.doubles(rows), 2), uniform(9), 0.1, 8);
        double[] actual = RobustRows.throughPipeline(Map.of("aggregator", "geomed", "f", 2,
                "preAggregators", List.of(Map.of("name", "nnm"))), rows);
        assertClose(expected, actual, 1e-6);
    }

    static double[] uniform(int n) {
        double[] a = new double[n];
        Arrays.fill(a, 1.0 / n);
        return a;
    }

    @Test
    void needsMoreUpdatesThanF() {
        PreAggregator p = new NearestNeighbourMixing(3);
        assertEquals(4, p.minUpdates());
        assertEquals("n > f", p.requirement());
        assertEquals(Map.of(), p.params());
    }
}
