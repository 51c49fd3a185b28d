package dev.hansa.compute.cpu;

/**
 * {@link CpuKernels} in plain Java, for JVMs started without {@code jdk.incubator.vector}. The loops are written so
 * that C2's auto-vectoriser can handle the element-wise ones (axpy, scal, the micro-kernel's inner loop); reductions
 * stay sequential in float within a block of {@link #BLOCK} and are summed in double, as in {@link PanamaKernels}.
 */
final class ScalarKernels implements CpuKernels {

    private static final int MR = 6;
    private static final int NR = 16;
    private static final int BLOCK = 1024;

    @Override
    public String description() {
        return "scalar Java loops, " + MR + " x " + NR + " GEMM micro-tile";
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void microKernel(int kc, float[] a, int ao, int rowStride, int stepStride, float[] b, int bo,
                            float alpha, float beta, float[] c, int co, int ldc) {
        float[] tile = new float[MR * NR]; // scalar-replaced or stack-allocated by C2's escape analysis
        for (int p = 0; p < kc; p++, ao += stepStride, bo += NR) {
            for (int i = 0; i < MR; i++) {
                float av = a[ao + i * rowStride];
                for (int j = 0; j < NR; j++) {
                    tile[i * NR + j] = Math.fma(av, b[bo + j], tile[i * NR + j]);
                }
            }
        }
        mergeTile(tile, MR, NR, alpha, beta, c, co, ldc);
    }

    @Override
    public void halfTile(int kc, float[] a, int ao, int rowStride, int stepStride, float[] b, int bo, float[] tile) {
        microKernel(kc, a, ao, rowStride, stepStride, b, bo, 1f, 0f, tile, 0, NR); // the full width: simpler, same bits
    }

    @Override
    public void mergeTile(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int co, int ldc) {
        for (int r = 0; r < rows; r++, co += ldc) {
            int t = r * NR;
            for (int j = 0; j < cols; j++) {
                float v = alpha * tile[t + j];
                c[co + j] = beta == 0f ? v : Math.fma(beta, c[co + j], v);
            }
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    @Override
    public double dot(int n, float[] x, int xo, float[] y, int yo) {
        double sum = 0;
        for (int start = 0; start < n; start += BLOCK) {
            float block = 0;
            for (int i = start, end = Math.min(n, start + BLOCK); i < end; i++) {
                block = Math.fma(x[xo + i], y[yo + i], block);
            }
            sum += block;
        }
        return sum;
    }

    @Override
    public double sumOfSquares(int n, float[] x, int xo) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x[xo + i];
            sum += v * v;
        }
        return sum;
    }

    @Override
    public void scal(int n, float alpha, float[] x, int xo) {
        for (int i = 0; i < n; i++) {
            x[xo + i] *= alpha;
        }
    }

    @Override
    public void addRowVector(int rows, int cols, float[] m, int mo, int ld, float[] bias, int bo) {
        for (int r = 0; r < rows; r++) {
            axpy(cols, 1f, bias, bo, m, mo + r * ld);
        }
    }

    @Override
    public void columnSums(int rows, int cols, float[] m, int mo, float[] out, int oo) {
        java.util.Arrays.fill(out, oo, oo + cols, 0f);
        for (int r = 0; r < rows; r++) {
            axpy(cols, 1f, m, mo + r * cols, out, oo);
        }
    }

    @Override
    public void relu(int n, float[] x, int xo) {
        for (int i = 0; i < n; i++) {
            if (!(x[xo + i] > 0f)) {
                x[xo + i] = 0f;
            }
        }
    }

    @Override
    public void reluBackward(int n, float[] act, int ao, float[] g, int go) {
        for (int i = 0; i < n; i++) {
            if (!(act[ao + i] > 0f)) {
                g[go + i] = 0f;
            }
        }
    }
}
