package dev.hansa.aggregation.aggregate;

import dev.hansa.compute.Backend;
import dev.hansa.compute.CpuBackend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;
import java.util.Arrays;
import java.util.List;

/**
 * Every inner product among a batch's rows x_1..x_n and their linear combinations, from one Gram matrix. Rows are
 * written in the basis {x_k - c} plus c, for a centre c near the rows: the distances that the robust rules rank come
 * from products of centred rows, where float rounding does not cancel as it does in {@code G_ii + G_jj - 2 G_ij} of
 * raw rows lying far from the origin (ALGORITHMS.md 7.2). The products are exact for any c up to rounding; what c
 * decides is whose distances keep their digits, see {@link #of}. A combination {@code sum_k a_k x_k} is a coefficient vector
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
    public static final int BLOCK_COLUMNS = 4096;
    /** Columns per block of {@link #inDouble}: n rows of them stay in L1/L2 while their n(n+1)/2 products run. */
    static final int DOUBLE_BLOCK = 512;

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
     * The geometry of {@code batch}: its centred Gram matrix by one float GEMM per block of columns on
     * {@code backend}, accumulated in double across blocks. Each block is centred on one of its own rows, the one whose
     * norm over the block's columns is the median (the lower middle), so the rows are read once. Not on the rows'
     * mean: a few Byzantine rows of enormous norm would drag the mean far from the honest rows, whose centred values
     * would then be large and their float products would lose the digits of the honest distances the rules rank. A
     * median-norm row is honest, or no larger than an honest one, whenever fewer than half the rows are Byzantine.
     * Reading and centring, which would otherwise run on one core while the GEMM runs on all, take one block per
     * thread of {@link AggregationThreads} at a time; the GEMMs run on the calling thread (where a GPU context is
     * current).
     */
    public static RowGeometry of(UpdateBatch batch, Backend backend) {
        int n = batch.size();
        int d = batch.dimension();
        int width = Math.max(1, Math.min(d, BLOCK_COLUMNS));
        int blocks = (d + width - 1) / width;
        Block[] parts = new Block[Math.min(blocks, AggregationThreads.POOL.parallelism())];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = new Block(n, width);
        }
        double[][] g = new double[n][n];
        double[] p = new double[n];
        double cc = 0;
        float[] gram = new float[n * n];
        try (FloatArray x = backend.allocate((long) n * width); FloatArray out = backend.allocate((long) n * n)) {
            for (int first = 0; first < blocks; first += parts.length) {
                int start = first;
                int count = Math.min(parts.length, blocks - first);
                AggregationThreads.POOL.run(count, k -> parts[k].read(batch, (start + k) * width,
                        Math.min(d, (start + k + 1) * width)));
                for (int k = 0; k < count; k++) {
                    // Block by block, in column order: the sums do not depend on how many threads read.
                    for (int i = 0; i < n; i++) {
                        p[i] += parts[k].withCentre[i];
                    }
                    cc += parts[k].centreNormSquared;
                    int w = parts[k].width;
                    x.copyFromHost(parts[k].values, 0, 0, n * w);
                    backend.gemm(Transpose.NO, Transpose.YES, n, n, w, 1f, x, w, x, w, 0f, out, n);
                    out.copyToHost(0, gram, 0, n * n);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            g[i][j] += gram[i * n + j];
                        }
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
        return new RowGeometry(g, p, cc);
    }

    /** A block of columns, centred, with its terms of {@code <x_i - c, c>} and {@code <c, c>}. */
    private static final class Block {
        final float[] values;
        final double[] centre;
        final double[] withCentre;
        final double[] rowNormSquared;
        final Integer[] byNorm;
        double centreNormSquared;
        int width;

        Block(int n, int maxWidth) {
            values = new float[n * maxWidth];
            centre = new double[maxWidth];
            withCentre = new double[n];
            rowNormSquared = new double[n];
            byNorm = new Integer[n];
        }

        /** Reads columns {@code [from, to)} and centres them on the row of median norm over them. */
        void read(UpdateBatch batch, int from, int to) {
            int n = withCentre.length;
            width = to - from;
            batch.readColumns(from, to, values);
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int j = 0; j < width; j++) {
                    double v = values[i * width + j];
                    norm += v * v;
                }
                rowNormSquared[i] = norm;
                byNorm[i] = i;
            }
            // Ties in index order, so the centre does not depend on the sort's stability.
            Arrays.sort(byNorm, (a, b) -> rowNormSquared[a] != rowNormSquared[b]
                    ? Double.compare(rowNormSquared[a], rowNormSquared[b]) : Integer.compare(a, b));
            int median = byNorm[(n - 1) / 2];
            centreNormSquared = rowNormSquared[median];
            for (int j = 0; j < width; j++) {
                centre[j] = values[median * width + j];
            }
            for (int i = 0; i < n; i++) {
                withCentre[i] = centre(values, i * width, width, centre);
            }
        }
    }

    /**
     * Centres {@code block[row, row + w)} in place, {@code x - c[j]} rounded to float, and returns the centred
     * values' inner product with the centre, in double. Four partial sums, so that each product need not wait for
     * the previous addition: one running sum made this loop cost as much as the Gram GEMM at n = 100, d = 10^6.
     */
    private static double centre(float[] block, int row, int w, double[] c) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= w; j += 4) {
            double v0 = block[row + j] - c[j];
            double v1 = block[row + j + 1] - c[j + 1];
            double v2 = block[row + j + 2] - c[j + 2];
            double v3 = block[row + j + 3] - c[j + 3];
            s0 += v0 * c[j];
            s1 += v1 * c[j + 1];
            s2 += v2 * c[j + 2];
            s3 += v3 * c[j + 3];
            block[row + j] = (float) v0;
            block[row + j + 1] = (float) v1;
            block[row + j + 2] = (float) v2;
            block[row + j + 3] = (float) v3;
        }
        for (; j < w; j++) {
            double v = block[row + j] - c[j];
            s0 += v * c[j];
            block[row + j] = (float) v;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The geometry of rows held in double precision, computed in double around {@code centre} (any vector: the
     * products are exact up to double rounding, so it need not be the rows' mean; a centre near the rows keeps the
     * distances between them free of cancellation). n(n+1)/2 products per column: for the few rows of a trial (a
     * round's honest updates and the two vectors of an attack's line), not for a round. The columns go in blocks of
     * {@value #DOUBLE_BLOCK}, centred once, and each inner product of a block is summed in four interleaved partial
     * sums, which the core overlaps where one running sum would wait on each add.
     */
    public static RowGeometry inDouble(List<double[]> rows, double[] centre) {
        int n = rows.size();
        double[][] g = new double[n][n];
        double[] p = new double[n];
        double cc = 0;
        for (double c : centre) {
            cc += c * c;
        }
        double[][] centred = new double[n][DOUBLE_BLOCK];
        for (int from = 0; from < centre.length; from += DOUBLE_BLOCK) {
            int width = Math.min(DOUBLE_BLOCK, centre.length - from);
            for (int i = 0; i < n; i++) {
                double[] row = rows.get(i);
                double[] v = centred[i];
                double pi = p[i];
                for (int j = 0; j < width; j++) {
                    double c = centre[from + j];
                    v[j] = row[from + j] - c;
                    pi += v[j] * c;
                }
                p[i] = pi;
            }
            for (int i = 0; i < n; i++) {
                for (int k = i; k < n; k++) {
                    g[i][k] += dot(centred[i], centred[k], width);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = i + 1; k < n; k++) {
                g[k][i] = g[i][k];
            }
        }
        return new RowGeometry(g, p, cc);
    }

    /** {@code sum_j x[j] y[j]} over {@code [0, width)} in four interleaved partial sums. */
    private static double dot(double[] x, double[] y, int width) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= width; j += 4) {
            s0 += x[j] * y[j];
            s1 += x[j + 1] * y[j + 1];
            s2 += x[j + 2] * y[j + 2];
            s3 += x[j + 3] * y[j + 3];
        }
        for (; j < width; j++) {
            s0 += x[j] * y[j];
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
