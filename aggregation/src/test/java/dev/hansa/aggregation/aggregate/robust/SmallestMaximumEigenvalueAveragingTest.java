package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

class SmallestMaximumEigenvalueAveragingTest {

    /** The largest eigenvalue of the d x d covariance of {@code x[subset]} (1/|S| normalised), built explicitly. */
    static double largestCovarianceEigenvalue(double[][] x, int[] subset) {
        double[] mu = RobustRows.mean(x, subset);
        int d = mu.length;
        double[][] sigma = new double[d][d];
        for (int i : subset) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    sigma[a][b] += (x[i][a] - mu[a]) * (x[i][b] - mu[b]) / subset.length;
                }
            }
        }
        double top = 0;
        for (double v : new EigenDecomposition(new Array2DRowRealMatrix(sigma)).getRealEigenvalues()) {
            top = Math.max(top, v);
        }
        return top;
    }

    /** The reference: the mean of the first (n - f)-subset whose covariance has the least largest eigenvalue. */
    static double[] smea(double[][] x, int f) {
        int[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int[] s : MinimumDiameterAveragingTest.subsets(x.length, x.length - f)) {
            double value = largestCovarianceEigenvalue(x, s);
            if (value < bestValue) {
                bestValue = value;
                best = s;
            }
        }
        return RobustRows.mean(x, best);
    }

    @Test
    void matchesAnExhaustiveScanWithTheCovarianceBuiltInFullDimension() {
        for (int seed = 0; seed < 5; seed++) {
            List<float[]> rows = RobustRows.gaussian(8, 6, seed, 50, 2);
            assertClose(smea(RobustRows.doubles(rows), 2), new SmallestMaximumEigenvalueAveraging(2).aggregate(
                    RobustRows.batch(rows)), 1e-12);
        }
    }

    @Test
    void findsTheTightSubsetByHand() {
        // Triples of 0, 1, 2, 30: {0, 1, 2} has variance 2/3, any triple with 30 far more.
        double[] out = new SmallestMaximumEigenvalueAveraging(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {30, 0}, new double[] {1, 0}, new double[] {2, 0}, new double[] {0, 0})));
        assertArrayEquals(new double[] {1, 0}, out, 1e-12);
        assertEquals(2 / 3.0, largestCovarianceEigenvalue(RobustRows.doubles(RobustRows.of(
                new double[] {0, 0}, new double[] {1, 0}, new double[] {2, 0})), new int[] {0, 1, 2}), 1e-12);
    }

    @Test
    void theFirstSubsetWinsATie() {
        // Rows 0, 1, 2, 3: {0, 1, 2} and {1, 2, 3} both have variance 2/3 (the others 14/9); the first wins, as ByzFL's
        // strict comparison keeps it. The rows' mean 1.5 is exact, and both subsets centre to the same -1, 0, 1, so
        // the tie is exact too.
        double[] out = new SmallestMaximumEigenvalueAveraging(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {0}, new double[] {1}, new double[] {2}, new double[] {3})));
        assertEquals(1, out[0], 1e-12);
    }

    @Test
    void refusesARoundWithMoreSubsetsThanItsBound() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                new SmallestMaximumEigenvalueAveraging(4).aggregate(RobustRows.batch(RobustRows.gaussian(50, 3, 1, 0,
                        0))));
        // C(50, 4) = 230300 subsets of 46 rows: 2 x 10^8 / 46^3 = 2054 are allowed.
        assertTrue(e.getMessage().contains("smea") && e.getMessage().contains("C(50, 4) = 230300")
                && e.getMessage().contains("at most 2054"), e.getMessage());
    }

    @Test
    void needsAMajorityOfHonestUpdates() {
        assertEquals(7, Aggregators.aggregator(SmallestMaximumEigenvalueAveraging.NAME, 3).minUpdates());
    }
}
