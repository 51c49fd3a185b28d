package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.RowGeometry;

/**
 * Distances from every row to one combination of the rows, for the rules that iterate on coefficient vectors
 * (Weiszfeld's geometric median, centered clipping): O(n^2) per call from the {@link RowGeometry}, no row read.
 */
final class RowDistances {

    private RowDistances() {
    }

    /**
     * {@code ||x_i - sum_k a_k x_k||^2} for every row i, clamped at 0: {@link RowGeometry#squaredDistance} of the
     * unit vector e_i and {@code a}, with {@code G a} shared by all rows. With {@code r = 1 - sum a} the terms in the
     * centre c are scaled by r, so they vanish for the convex combinations these rules produce.
     */
    static double[] toCombination(RowGeometry geometry, double[] a) {
        double[][] g = geometry.centred();
        double[] p = geometry.withCentre();
        int n = geometry.size();
        double[] ga = new double[n];
        double aga = 0;
        double pa = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int k = 0; k < n; k++) {
                v += g[i][k] * a[k];
            }
            ga[i] = v;
            aga += a[i] * v;
            pa += p[i] * a[i];
            sum += a[i];
        }
        double r = 1 - sum;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double v = g[i][i] - 2 * ga[i] + aga + 2 * r * (p[i] - pa) + r * r * geometry.centreNormSquared();
            out[i] = Math.max(0, v);
        }
        return out;
    }
}
