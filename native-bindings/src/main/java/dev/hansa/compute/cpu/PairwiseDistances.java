package dev.hansa.compute.cpu;

/**
 * Squared Euclidean distances between the rows of X through one Gram matrix, D[i, j] = G[i, i] + G[j, j] - 2 G[i, j]
 * with G = Xc Xc^T and Xc = X minus its column means. Centring does not change any distance but shrinks the norms
 * the formula subtracts, which is where float rounding bites when the points sit far from the origin (model updates
 * around a common direction). G is accumulated over column blocks of {@link #BLOCK_COLUMNS}, so the centred copy
 * needs only n x BLOCK_COLUMNS floats even for million-parameter rows.
 */
public final class PairwiseDistances {

    static final int BLOCK_COLUMNS = 4096;

    private PairwiseDistances() {
    }

    /** out[i * n + j] = ||x_i - x_j||^2 for the n rows of x (n x d, row-major, row stride d). */
    public static void compute(int n, int d, float[] x, int xo, float[] out, int oo, CpuKernels kernels, Sgemm sgemm) {
        if (n == 0) {
            return;
        }
        if (d == 0) {
            java.util.Arrays.fill(out, oo, oo + n * n, 0f);
            return;
        }
        float[] negMean = new float[d];
        kernels.columnSums(n, d, x, xo, negMean, 0);
        kernels.scal(d, -1f / n, negMean, 0);
        int width = Math.min(d, BLOCK_COLUMNS);
        float[] centred = new float[n * width];
        for (int d0 = 0; d0 < d; d0 += width) {
            int w = Math.min(width, d - d0);
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, xo + i * d + d0, centred, i * w, w);
            }
            kernels.addRowVector(n, w, centred, 0, w, negMean, d0);
            sgemm.gemm(false, true, n, n, w, 1f, centred, 0, w, centred, 0, w, d0 == 0 ? 0f : 1f, out, oo, n);
        }
        gramToDistances(n, out, oo);
    }

    /** Turns the Gram matrix in place into distances: symmetric, clamped at 0, zero diagonal. */
    static void gramToDistances(int n, float[] g, int go) {
        for (int i = 0; i < n; i++) {
            float gii = g[go + i * n + i];
            for (int j = i + 1; j < n; j++) {
                float cross = g[go + i * n + j] + g[go + j * n + i];
                float dist = Math.max(0f, gii + g[go + j * n + j] - cross);
                g[go + i * n + j] = dist;
                g[go + j * n + i] = dist;
            }
        }
        for (int i = 0; i < n; i++) {
            g[go + i * n + i] = 0f;
        }
    }
}
