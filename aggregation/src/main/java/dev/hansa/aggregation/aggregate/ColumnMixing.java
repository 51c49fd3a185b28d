package dev.hansa.aggregation.aggregate;

import java.util.Arrays;

/**
 * The column pass of a mixed batch: slices of combinations of rows, {@code out[i * width + j] = (float) sum_k mix[i][k]
 * x_k[offset_k + j]}, each value summed in double precision in k order and rounded once to float. The rows with a
 * zero coefficient are not read.
 *
 * <p>The terms of an output row are added four per pass over its double accumulator, {@code y[j] = (((y[j] + m0 a[j])
 * + m1 b[j]) + m2 c[j]) + m3 d[j]}: the same adds in the same order as one term per pass (Java never fuses a multiply
 * and an add), so the same bits, with the accumulator read and written once per four rows. Written as plain loops over
 * arrays, which C2 compiles to vector convert-multiply-add instructions (as {@code WeightedSum}'s fold).
 */
final class ColumnMixing {

    private ColumnMixing() {
    }

    /**
     * Writes {@code width} values of each of the {@code mix.length} combinations into {@code out}, row after row; row
     * k of the input is {@code rows[k]} from {@code offsets[k]}.
     */
    static void mix(double[][] mix, float[][] rows, int[] offsets, int width, float[] out) {
        double[] y = new double[width];
        double[] m = new double[rows.length];
        float[][] x = new float[rows.length][];
        int[] o = new int[rows.length];
        for (int i = 0; i < mix.length; i++) {
            int terms = 0;
            for (int k = 0; k < rows.length; k++) {
                if (mix[i][k] != 0) {
                    m[terms] = mix[i][k];
                    x[terms] = rows[k];
                    o[terms++] = offsets[k];
                }
            }
            Arrays.fill(y, 0);
            int t = 0;
            for (; t + 4 <= terms; t += 4) {
                addFour(y, width, m[t], x[t], o[t], m[t + 1], x[t + 1], o[t + 1], m[t + 2], x[t + 2], o[t + 2],
                        m[t + 3], x[t + 3], o[t + 3]);
            }
            for (; t < terms; t++) {
                addOne(y, width, m[t], x[t], o[t]);
            }
            int at = i * width;
            for (int j = 0; j < width; j++) {
                out[at + j] = (float) y[j];
            }
        }
    }

    private static void addFour(double[] y, int width, double m0, float[] x0, int o0, double m1, float[] x1, int o1,
                                double m2, float[] x2, int o2, double m3, float[] x3, int o3) {
        for (int j = 0; j < width; j++) {
            y[j] = (((y[j] + m0 * x0[o0 + j]) + m1 * x1[o1 + j]) + m2 * x2[o2 + j]) + m3 * x3[o3 + j];
        }
    }

    private static void addOne(double[] y, int width, double m0, float[] x0, int o0) {
        for (int j = 0; j < width; j++) {
            y[j] += m0 * x0[o0 + j];
        }
    }
}
