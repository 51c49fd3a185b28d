package dev.hansa.compute;

import java.util.SplittableRandom;

/** Double-precision reference computations and float32 error bounds, independent of every backend. */
final class Reference {

    /** Unit roundoff of float32. */
    static final double U = 0x1p-24;

    private Reference() {
    }

    static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    static float[] filled(int n, float value) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, value);
        return x;
    }

    /** op(M)[i, j] for a row-major stored matrix with leading dimension ld. */
    static double at(float[] m, int offset, int ld, boolean transposed, int i, int j) {
        return transposed ? m[offset + j * ld + i] : m[offset + i * ld + j];
    }

    /**
     * Expected C and a per-element error bound for C = alpha op(A) op(B) + beta C: the bound is
     * {@code slack * (k + 4) * U * (|alpha| sum |a||b| + |beta| |c|)}, the usual dot-product bound with a margin.
     */
    static double[][] gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                           float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc, double slack) {
        double[] expected = new double[m * n], bound = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, abs = 0;
                for (int p = 0; p < k && alpha != 0f; p++) { // alpha = 0: A and B are not read
                    double prod = at(a, ao, lda, ta, i, p) * at(b, bo, ldb, tb, p, j);
                    sum += prod;
                    abs += Math.abs(prod);
                }
                double old = beta == 0f ? 0 : c[co + i * ldc + j];
                expected[i * n + j] = alpha * sum + beta * old;
                bound[i * n + j] = slack * (k + 4) * U * (Math.abs(alpha) * abs + Math.abs(beta * old)) + Double.MIN_NORMAL;
            }
        }
        return new double[][] {expected, bound};
    }

    static double dot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    static double absDot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs((double) x[i] * y[i]);
        }
        return s;
    }
}
