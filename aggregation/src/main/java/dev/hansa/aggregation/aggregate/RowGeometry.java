package dev.hansa.aggregation.aggregate;

import dev.hansa.compute.Backend;
import dev.hansa.compute.CpuBackend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;

/**
 * Every inner product among a batch's rows x_1..x_n and their linear combinations, from one Gram matrix. Rows are
 * written in the basis {x_k - c} plus c, for c the rows' plain mean: the distances that the robust rules rank come
 * from products of centred rows, where float rounding does not cancel as it does in {@code G_ii + G_jj - 2 G_ij} of
 * raw rows lying far from the origin (ALGORITHMS.md 7.2). A combination {@code sum_k a_k x_k} is a coefficient vector
 * {@code a}; rules that output a combination of the inputs (Krum, Weiszfeld's geometric median, centered clipping,
 * nearest-neighbour mixing) work on coefficients and touch the update data once more, in
 * {@link UpdateBatch#combine}.
 *
 * @param centred           {@code G[i][j] = <x_i - c, x_j - c>}, n x n
 * @param withCentre        {@code p[i] = <x_i - c, c>}
 * @param centreNormSquared {@code <c, c>}
 */
public record RowGeometry(double[][] centred, double[] withCentre, double centreNormSquared) {

    /** Columns per block of the Gram computation: the block copy is n x BLOCK_COLUMNS floats. */
    static final int BLOCK_COLUMNS = 4096;

    public RowGeometry {
        if (centred.length != withCentre.length) {
            throw new IllegalArgumentException(centred.length + " Gram rows but " + withCentre.length + " centre products");
        }
    }

    /** Number of rows. */
    public int size() {
        return withCentre.length;
    }

    /**
     * The geometry of {@code batch}: its mean in one {@link UpdateBatch#combine} pass, then its centred Gram matrix
     * by one float GEMM per block of columns on {@code backend}, accumulated in double across blocks.
     */
    public static RowGeometry of(UpdateBatch batch, Backend backend) {
        int n = batch.size();
        int d = batch.dimension();
        double[] uniform = new double[n];
        java.util.Arrays.fill(uniform, 1.0 / n);
        double[] c = batch.combine(uniform);
        double[][] g = new double[n][n];
        double[] p = new double[n];
        int width = Math.max(1, Math.min(d, BLOCK_COLUMNS));
        float[] block = new float[n * width];
        float[] gram = new float[n * n];
        try (FloatArray x = backend.allocate((long) n * width); FloatArray out = backend.allocate((long) n * n)) {
            for (int from = 0; from < d; from += width) {
                int w = Math.min(width, d - from);
                batch.readColumns(from, from + w, block);
                for (int i = 0; i < n; i++) {
                    p[i] += centre(block, i * w, w, c, from);
                }
                x.copyFromHost(block, 0, 0, n * w);
                backend.gemm(Transpose.NO, Transpose.YES, n, n, w, 1f, x, w, x, w, 0f, out, n);
                out.copyToHost(0, gram, 0, n * n);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        g[i][j] += gram[i * n + j];
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double symmetric = (g[i][j] + g[j][i]) / 2;
                g[i][j] = symmetric;
                g[j][i] = symmetric;
            }
        }
        double cc = 0;
        for (double v : c) {
            cc += v * v;
        }
        return new RowGeometry(g, p, cc);
    }

    /**
     * Centres {@code block[row, row + w)} in place, {@code x - c[from + j]} rounded to float, and returns the centred
     * values' inner product with the centre, in double. Four partial sums, so that each product need not wait for
     * the previous addition: one running sum made this loop cost as much as the Gram GEMM at n = 100, d = 10^6.
     */
    private static double centre(float[] block, int row, int w, double[] c, int from) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= w; j += 4) {
            double v0 = block[row + j] - c[from + j];
            double v1 = block[row + j + 1] - c[from + j + 1];
            double v2 = block[row + j + 2] - c[from + j + 2];
            double v3 = block[row + j + 3] - c[from + j + 3];
            s0 += v0 * c[from + j];
            s1 += v1 * c[from + j + 1];
            s2 += v2 * c[from + j + 2];
            s3 += v3 * c[from + j + 3];
            block[row + j] = (float) v0;
            block[row + j + 1] = (float) v1;
            block[row + j + 2] = (float) v2;
            block[row + j + 3] = (float) v3;
        }
        for (; j < w; j++) {
            double v = block[row + j] - c[from + j];
            s0 += v * c[from + j];
            block[row + j] = (float) v;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The geometry of {@code batch} on a CPU backend shared by the process. */
    public static RowGeometry of(UpdateBatch batch) {
        return of(batch, SharedCpu.BACKEND);
    }

    /** {@code <sum_k a_k x_k, sum_k b_k x_k>}. */
    public double inner(double[] a, double[] b) {
        double sa = sum(a);
        double sb = sum(b);
        return quadratic(a, b) + sa * dot(withCentre, b) + sb * dot(withCentre, a) + sa * sb * centreNormSquared;
    }

    /** {@code ||sum_k a_k x_k - sum_k b_k x_k||^2}, clamped at 0. */
    public double squaredDistance(double[] a, double[] b) {
        double[] diff = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            diff[k] = a[k] - b[k];
        }
        return Math.max(0, inner(diff, diff));
    }

    /** {@code D[i][j] = ||x_i - x_j||^2}: symmetric, clamped at 0, zero diagonal. */
    public double[][] squaredDistances() {
        int n = size();
        double[][] dist = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = Math.max(0, centred[i][i] + centred[j][j] - 2 * centred[i][j]);
                dist[i][j] = v;
                dist[j][i] = v;
            }
        }
        return dist;
    }

    /** {@code ||x_i||^2} for every row. */
    public double[] squaredNorms() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, centred[i][i] + 2 * withCentre[i] + centreNormSquared);
        }
        return out;
    }

    /**
     * The geometry of the rows {@code y_i = sum_k w[i][k] x_k} (w is n' x n), in the same basis: with {@code r_i =
     * sum_k w[i][k] - 1}, {@code y_i - c = sum_k w[i][k] (x_k - c) + r_i c}.
     */
    public RowGeometry mixed(double[][] w) {
        int m = w.length;
        int n = size();
        double[][] wg = new double[m][n];
        double[] wp = new double[m];
        double[] r = new double[m];
        for (int i = 0; i < m; i++) {
            if (w[i].length != n) {
                throw new IllegalArgumentException("mixing row " + i + " has " + w[i].length + " entries for " + n + " rows");
            }
            for (int k = 0; k < n; k++) {
                double wik = w[i][k];
                if (wik != 0) {
                    for (int l = 0; l < n; l++) {
                        wg[i][l] += wik * centred[k][l];
                    }
                    wp[i] += wik * withCentre[k];
                }
            }
            r[i] = sum(w[i]) - 1;
        }
        double[][] g = new double[m][m];
        double[] p = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                double v = dot(wg[i], w[j]) + wp[i] * r[j] + r[i] * wp[j] + centreNormSquared * r[i] * r[j];
                g[i][j] = v;
                g[j][i] = v;
            }
            p[i] = wp[i] + r[i] * centreNormSquared;
        }
        return new RowGeometry(g, p, centreNormSquared);
    }

    private double quadratic(double[] a, double[] b) {
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0) {
                total += a[i] * dot(centred[i], b);
            }
        }
        return total;
    }

    private static double dot(double[] x, double[] y) {
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            total += x[i] * y[i];
        }
        return total;
    }

    private static double sum(double[] x) {
        double total = 0;
        for (double v : x) {
            total += v;
        }
        return total;
    }

    /** One CPU backend for every batch's Gram products; its worker threads are daemons. */
    private static final class SharedCpu {
        static final Backend BACKEND = new CpuBackend();
    }
}
