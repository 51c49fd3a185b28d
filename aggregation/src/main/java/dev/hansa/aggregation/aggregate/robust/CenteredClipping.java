package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@value #NAME} (Karimireddy, He and Jaggi, "Learning from History for Byzantine Robust Optimization", ICML 2021):
 * from a starting point {@code v_0}, {@code L} times {@code v <- v + (1/n) sum_i clip_tau(x_i - v)} with
 * {@code clip_tau(y) = y min(1, tau / ||y||)}; unweighted, as in the paper and ByzFL.
 *
 * <p>The paper starts from the previous round's aggregate, and ByzFL from its own previous output (zero on the first
 * call). This pipeline keeps no state across rounds, so the start is a choice, {@code start}:
 * <ul>
 *   <li>{@code median} (the default): the coordinate-wise median of the batch, a robust estimate that stays within
 *       the honest values of each coordinate while n > 2f, standing in for the previous aggregate the analysis
 *       assumes is close to the honest mean. Costs two column passes (the median, then its products with the
 *       rows), skipped where no row can be clipped and the rule returns the mean.
 *   <li>{@code zero}: ByzFL's first call. From zero the first step is the mean of the updates clipped to norm tau,
 *       which each Byzantine update can still move by up to tau / n in a direction of its choosing.
 * </ul>
 *
 * <p>Every iterate is {@code v = m + sum_k a_k (x_k - m)} for the start m, so the iteration runs on the coefficients
 * with distances from the Gram matrix of {@code x_k - m} (that of the rows about their mean, from the batch's
 * geometry, plus the start's products with the rows) and reads the rows once more for the output. Each iteration is then n x n work, so the defaults are those of
 * the Karimireddy et al. code ({@code tau} = {@value #DEFAULT_TAU}, {@code iterations} = {@value #DEFAULT_ITERATIONS};
 * ByzFL: 100 and 1). tau is in the units of the updates' norm: scale it with them.
 */
public final class CenteredClipping extends TolerantRule {

    public static final String NAME = "centered-clipping";
    public static final double DEFAULT_TAU = 10;
    public static final int DEFAULT_ITERATIONS = 3;
    /** Bound on {@code iterations}. */
    public static final int MAX_ITERATIONS = 10_000;
    /** Relative slack of the test that no row can be clipped, far above the float rounding of the Gram matrix. */
    static final double NEVER_CLIPS_MARGIN = 1e-3;

    /** Where the iteration starts. */
    public enum Start {
        MEDIAN, ZERO;

        /** The name configs use. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Every config name, the default first. */
        public static List<String> configNames() {
            return List.of(MEDIAN.configName(), ZERO.configName());
        }

        /** The start a config names. */
        public static Start of(String configName) {
            return valueOf(configName.toUpperCase(Locale.ROOT));
        }
    }

    private final double tau;
    private final int iterations;
    private final Start start;

    /** Tolerating {@code f} arbitrary updates needs at least a majority of honest ones, {@code n >= 2f + 1}. */
    public CenteredClipping(int f, double tau, int iterations, Start start) {
        super(NAME, f);
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("centered-clipping tau must be finite and > 0, got " + tau);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("centered-clipping iterations must be in [1, " + MAX_ITERATIONS
                    + "], got " + iterations);
        }
        this.tau = tau;
        this.iterations = iterations;
        this.start = start;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("tau", tau, "iterations", iterations, "start", start.configName());
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        if (start == Start.ZERO) {
            return batch.combine(clippedSteps(batch.geometry()));
        }
        int n = batch.size();
        double[] uniform = new double[n];
        Arrays.fill(uniform, 1);
        double[][] k = WeightedCovariance.aroundMean(batch.geometry().centred(), uniform);
        if (neverClips(k)) {
            double[] mean = new double[n];
            Arrays.fill(mean, 1.0 / n);
            return batch.combine(mean);
        }
        double[] median = new CoordinateMedian(f).aggregate(batch);
        double[] a = clippedSteps(fromPoint(batch, median, k));
        double rest = 1;
        for (double v : a) {
            rest -= v;
        }
        double[] out = batch.combine(a);
        for (int j = 0; j < out.length; j++) {
            out[j] += rest * median[j];
        }
        return out;
    }

    /**
     * Whether no row can be clipped at any iteration from the median, so that every step keeps every row whole and
     * the iteration ends at the rows' mean c after its first step. Each iterate lies in the box the rows span
     * coordinate by coordinate (the median does, and each step moves to a convex combination of the rows), and a
     * point of that box is within {@code sqrt(tr K)} of c ({@code |v_j - c_j| <= max_i |x_ij - c_j|}, squared and
     * summed over the coordinates), so row i is within {@code sqrt(K_ii) + sqrt(tr K)} of every iterate, K the Gram
     * matrix of the rows about c. The margin covers the float rounding of K. Behind static clipping, as in the
     * robust benchmark, the rows are this close at the default tau, and the median's two column passes are skipped.
     */
    private boolean neverClips(double[][] k) {
        double trace = 0;
        double widest = 0;
        for (int i = 0; i < k.length; i++) {
            trace += Math.max(0, k[i][i]);
            widest = Math.max(widest, k[i][i]);
        }
        return Math.sqrt(widest) + Math.sqrt(trace) <= tau * (1 - NEVER_CLIPS_MARGIN);
    }

    /**
     * The coefficients of {@code v_L - v_0} over the rows the geometry describes ({@code x_k - v_0}), from
     * {@code v_0}: each step is {@code v <- (1 - S/n) v + sum_i (s_i/n) x_i} with {@code s_i} the clip factors.
     */
    private double[] clippedSteps(RowGeometry geometry) {
        int n = geometry.size();
        double[] a = new double[n];
        double[] factor = new double[n];
        for (int t = 0; t < iterations; t++) {
            double[] squared = RowDistances.toCombination(geometry, a);
            double kept = 0;
            for (int i = 0; i < n; i++) {
                double distance = Math.sqrt(squared[i]);
                factor[i] = distance <= tau ? 1 : tau / distance;
                kept += factor[i];
            }
            for (int i = 0; i < n; i++) {
                a[i] = (1 - kept / n) * a[i] + factor[i] / n;
            }
        }
        return a;
    }

    /**
     * The geometry of the rows {@code x_i - m} in the basis of a zero centre: {@code <x_i - m, x_j - m> = K_ij + e_i +
     * e_j + q} with K the Gram matrix of {@code x_i - c} for c the rows' mean (from the batch's geometry, whatever
     * point that was taken from), {@code e_i = <x_i - c, c - m>} and {@code q = ||c - m||^2}, the two small terms from
     * one column pass (c taken per column there), and K given.
     */
    private static RowGeometry fromPoint(UpdateBatch batch, double[] m, double[][] k) {
        int n = batch.size();
        int d = batch.dimension();
        double[] e = new double[n];
        double q = 0;
        int width = Math.max(1, Math.min(d, ColumnSorter.COLUMNS_PER_READ));
        float[] block = new float[n * width];
        for (int from = 0; from < d; from += width) {
            int w = Math.min(width, d - from);
            batch.readColumns(from, from + w, block);
            for (int j = 0; j < w; j++) {
                double c = 0;
                for (int i = 0; i < n; i++) {
                    c += block[i * w + j];
                }
                c /= n;
                double shift = c - m[from + j];
                q += shift * shift;
                for (int i = 0; i < n; i++) {
                    e[i] += (block[i * w + j] - c) * shift;
                }
            }
        }
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] = k[i][j] + e[i] + e[j] + q;
            }
        }
        return new RowGeometry(h, new double[n], 0);
    }
}
