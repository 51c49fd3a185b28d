package dev.hansa.aggregation.aggregate;

import dev.hansa.compute.cpu.CpuKernelChoice;
import dev.hansa.compute.cpu.CpuKernels;
import java.util.Arrays;

/**
 * The column pass of a mixed batch: slices of combinations of rows, {@code out[i * width + j] = (float) sum_k mix[i][k]
 * x_k[offset_k + j]}, each value summed in double precision and rounded once to float. The rows with a zero
 * coefficient are not read.
 *
 * <p><b>Complements.</b> Nearest-neighbour mixing (behind clipping or not) gives every row the same coefficient for
 * each row it keeps, {@code mix[i][k] = v_k} or 0, and keeps most rows (n - f of n). Such a row is computed as the
 * total {@code T = sum_k v_k x_k}, summed once per block, less the few rows it drops: n + n f terms for the block
 * instead of n (n - f). Only where it is safe in double: the dropped rows' magnitude (their coefficient times the
 * L2 norm of their slice of the block) may be at most {@value #COMPLEMENT_RATIO} times the kept rows', so that the
 * double rounding of {@code T - dropped}, a few units of 2^-53 times the magnitude of all its terms, stays below
 * 2^-40 of the kept rows' magnitude, far below float's rounding (2^-24) of a value that size; a row that drops a row
 * of Byzantine size is summed directly. The float result is then the direct sum's except where the two double sums
 * straddle a float rounding boundary: one ulp apart (on Gaussian rows, 0.7% of the values, MixedBatchTest).
 *
 * <p>Terms are added (or subtracted) four per pass over the double accumulator, {@code y[j] = (((y[j] + m0 a[j]) +
 * m1 b[j]) + m2 c[j]) + m3 d[j]}: the same operations in the same order as one term per pass (Java never fuses a
 * multiply and an add), with the accumulator read and written once per four rows (the rest two, then one, per
 * pass). Written as plain loops over arrays, which C2 compiles to vector convert-multiply-add instructions (as
 * {@code WeightedSum}'s fold).
 */
final class ColumnMixing {

    /** How much larger the dropped rows' magnitude may be than the kept rows' for a row to be a complement. */
    static final double COMPLEMENT_RATIO = 16;

    private ColumnMixing() {
    }

    /**
     * Writes {@code width} values of each of the {@code mix.length} combinations into {@code out}, row after row; row
     * k of the input is {@code rows[k]} from {@code offsets[k]}.
     */
    static void mix(double[][] mix, float[][] rows, int[] offsets, int width, float[] out) {
        Terms terms = new Terms(rows.length);
        double[] y = new double[width];
        double[] shared = sharedCoefficients(mix, rows.length);
        double[] total = null;
        double[] magnitude = null;
        for (int i = 0; i < mix.length; i++) {
            boolean complement = prefersComplement(mix[i], shared);
            if (complement && total == null) {
                magnitude = magnitudes(shared, rows, offsets, width);
                total = new double[width];
                terms.clear();
                for (int k = 0; k < rows.length; k++) {
                    if (shared[k] != 0) {
                        terms.add(shared[k], rows[k], offsets[k]);
                    }
                }
                terms.sum(total, width, 1);
            }
            terms.clear();
            if (complement && safeComplement(mix[i], shared, magnitude)) {
                System.arraycopy(total, 0, y, 0, width);
                for (int k = 0; k < rows.length; k++) {
                    if (shared[k] != 0 && mix[i][k] == 0) {
                        terms.add(shared[k], rows[k], offsets[k]);
                    }
                }
                terms.sum(y, width, -1);
            } else {
                Arrays.fill(y, 0);
                for (int k = 0; k < rows.length; k++) {
                    if (mix[i][k] != 0) {
                        terms.add(mix[i][k], rows[k], offsets[k]);
                    }
                }
                terms.sum(y, width, 1);
            }
            int at = i * width;
            for (int j = 0; j < width; j++) {
                out[at + j] = (float) y[j];
            }
        }
    }

    /** Per input row, the one non-zero value its coefficients take; 0 if none or several. */
    private static double[] sharedCoefficients(double[][] mix, int n) {
        double[] shared = new double[n];
        for (double[] row : mix) {
            for (int k = 0; k < n; k++) {
                double m = row[k];
                if (m != 0 && !Double.isNaN(shared[k])) {
                    shared[k] = shared[k] == 0 || shared[k] == m ? m : Double.NaN;
                }
            }
        }
        for (int k = 0; k < n; k++) {
            if (Double.isNaN(shared[k])) {
                shared[k] = 0; // not in the total, and a row that uses input k is no complement
            }
        }
        return shared;
    }

    /** Whether every coefficient of the row is its input's shared one and dropping is cheaper than adding. */
    private static boolean prefersComplement(double[] row, double[] shared) {
        int kept = 0;
        int dropped = 0;
        for (int k = 0; k < row.length; k++) {
            if (row[k] != 0) {
                if (row[k] != shared[k]) {
                    return false;
                }
                kept++;
            } else if (shared[k] != 0) {
                dropped++;
            }
        }
        return dropped + 1 < kept;
    }

    /**
     * The dropped rows' magnitude is finite and at most {@link #COMPLEMENT_RATIO} times the kept ones' (else an
     * infinite value of a dropped row would reach the row through the total, as inf - inf).
     */
    private static boolean safeComplement(double[] row, double[] shared, double[] magnitude) {
        double kept = 0;
        double dropped = 0;
        for (int k = 0; k < row.length; k++) {
            if (row[k] != 0) {
                kept += magnitude[k];
            } else if (shared[k] != 0) {
                dropped += magnitude[k];
            }
        }
        return Double.isFinite(dropped) && dropped <= COMPLEMENT_RATIO * kept;
    }

    /**
     * |v_k| times the L2 norm of x_k's slice, for the inputs in the total: a bound on each |v_k x_k[j]| of the block
     * at most sqrt(width) times the largest, from the CPU kernels' vectorised sum of squares (NaN where a value is).
     */
    private static double[] magnitudes(double[] shared, float[][] rows, int[] offsets, int width) {
        CpuKernels kernels = CpuKernelChoice.best();
        double[] magnitude = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            if (shared[k] != 0) {
                magnitude[k] = Math.abs(shared[k]) * Math.sqrt(kernels.sumOfSquares(width, rows[k], offsets[k]));
            }
        }
        return magnitude;
    }

    /** The terms of one sum: coefficients and row slices, added four per pass. */
    private static final class Terms {
        private final double[] m;
        private final float[][] x;
        private final int[] o;
        private int count;

        Terms(int capacity) {
            m = new double[capacity];
            x = new float[capacity][];
            o = new int[capacity];
        }

        void clear() {
            count = 0;
        }

        void add(double coefficient, float[] row, int offset) {
            m[count] = coefficient;
            x[count] = row;
            o[count++] = offset;
        }

        /** {@code y += sign * sum of the terms}, term by term in the order added (four, two or one per pass). */
        void sum(double[] y, int width, double sign) {
            int t = 0;
            for (; t + 4 <= count; t += 4) {
                addFour(y, width, sign * m[t], x[t], o[t], sign * m[t + 1], x[t + 1], o[t + 1],
                        sign * m[t + 2], x[t + 2], o[t + 2], sign * m[t + 3], x[t + 3], o[t + 3]);
            }
            if (t + 2 <= count) {
                addTwo(y, width, sign * m[t], x[t], o[t], sign * m[t + 1], x[t + 1], o[t + 1]);
                t += 2;
            }
            if (t < count) {
                addOne(y, width, sign * m[t], x[t], o[t]);
            }
        }
    }

    private static void addFour(double[] y, int width, double m0, float[] x0, int o0, double m1, float[] x1, int o1,
                                double m2, float[] x2, int o2, double m3, float[] x3, int o3) {
        for (int j = 0; j < width; j++) {
            y[j] = (((y[j] + m0 * x0[o0 + j]) + m1 * x1[o1 + j]) + m2 * x2[o2 + j]) + m3 * x3[o3 + j];
        }
    }

    private static void addTwo(double[] y, int width, double m0, float[] x0, int o0, double m1, float[] x1, int o1) {
        for (int j = 0; j < width; j++) {
            y[j] = (y[j] + m0 * x0[o0 + j]) + m1 * x1[o1 + j];
        }
    }

    private static void addOne(double[] y, int width, double m0, float[] x0, int o0) {
        for (int j = 0; j < width; j++) {
            y[j] += m0 * x0[o0 + j];
        }
    }
}
