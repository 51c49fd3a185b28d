package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

class CovarianceFilterTest {

    /** The reference filter with the d x d weighted covariance built explicitly and its top eigenpair solved there. */
    static double[] caf(double[][] x, int f) {
        int n = x.length;
        int d = x[0].length;
        double[] c = new double[n];
        Arrays.fill(c, 1);
        double total = n;
        double[] best = null;
        double bestEigenvalue = Double.POSITIVE_INFINITY;
        while (total > n - 2 * f) {
            double[] mu = RobustRows.combination(x, scaled(c, 1 / total));
            double[][] sigma = new double[d][d];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        sigma[a][b] += c[i] * (x[i][a] - mu[a]) * (x[i][b] - mu[b]) / total;
                    }
                }
            }
            EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(sigma));
            int top = 0;
            for (int k = 1; k < d; k++) {
                if (eigen.getRealEigenvalue(k) > eigen.getRealEigenvalue(top)) {
                    top = k;
                }
            }
            if (eigen.getRealEigenvalue(top) < bestEigenvalue) {
                bestEigenvalue = eigen.getRealEigenvalue(top);
                best = mu;
            }
            double[] v = eigen.getEigenvector(top).toArray();
            double[] tau = new double[n];
            double largest = 0;
            for (int i = 0; i < n; i++) {
                double projection = 0;
                for (int a = 0; a < d; a++) {
                    projection += (x[i][a] - mu[a]) * v[a];
                }
                tau[i] = projection * projection;
                if (c[i] > 0) {
                    largest = Math.max(largest, tau[i]);
                }
            }
            total = 0;
            for (int i = 0; i < n; i++) {
                c[i] = c[i] > 0 ? c[i] * (1 - tau[i] / largest) : 0;
                total += c[i];
            }
        }
        return best;
    }

    private static double[] scaled(double[] v, double s) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return out;
    }

    @Test
    void matchesTheFilterWithTheCovarianceBuiltInFullDimension() {
        for (int seed = 0; seed < 5; seed++) {
            List<float[]> rows = RobustRows.gaussian(9, 7, seed, 50, 3);
            assertClose(caf(RobustRows.doubles(rows), 3), new CovarianceFilter(3).aggregate(RobustRows.batch(rows)),
                    1e-6);
        }
    }

    @Test
    void byzflsExampleStopsAfterOnePass() {
        // mu = (4, 5, 6); the spread is along (1, 1, 1) where rows 0 and 2 project farthest: both drop to 0, the
        // total weight 1 reaches n - 2f, and the first mean is the answer.
        double[] out = new CovarianceFilter(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {1, 2, 3}, new double[] {4, 5, 6}, new double[] {7, 8, 9})));
        assertArrayEquals(new double[] {4, 5, 6}, out, 1e-9);
    }

    @Test
    void filtersTheOutlierOnALineByHand() {
        double[] x = {0, 1, 2, 100};
        // Pass 1: mu = 25.75, tau_i = (x_i - mu)^2, the outlier has the largest and drops to 0.
        double mu = 25.75;
        double[] c = new double[4];
        for (int i = 0; i < 4; i++) {
            c[i] = 1 - (x[i] - mu) * (x[i] - mu) / ((100 - mu) * (100 - mu));
        }
        // Pass 2 (total 2.67 > n - 2f = 2): the weighted mean of 0, 1, 2 has a smaller variance, so it is kept; this
        // pass zeroes row 0 and leaves a total below 2.
        double expected = (c[0] * 0 + c[1] * 1 + c[2] * 2) / (c[0] + c[1] + c[2]);
        double[] out = new CovarianceFilter(1).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {0}, new double[] {1}, new double[] {2}, new double[] {100})));
        assertEquals(expected, out[0], 1e-9);
    }

    @Test
    void withNoByzantineUpdatesItIsTheMean() {
        double[] out = new CovarianceFilter(0).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {0, 1}, new double[] {1, 5}, new double[] {5, 0})));
        assertArrayEquals(new double[] {2, 2}, out, 1e-12);
    }

    @Test
    void stopsWhenTheWeightedUpdatesCoincide() {
        // After the outlier is zeroed the three equal rows have covariance 0: their mean is final.
        double[] out = new CovarianceFilter(2).aggregate(RobustRows.batch(RobustRows.of(
                new double[] {1, 1}, new double[] {1, 1}, new double[] {1, 1}, new double[] {1, 1},
                new double[] {9, -9})));
        assertArrayEquals(new double[] {1, 1}, out, 1e-9);
    }
}
