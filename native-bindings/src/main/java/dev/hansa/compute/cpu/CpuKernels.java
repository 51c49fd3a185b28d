package dev.hansa.compute.cpu;

/**
 * The innermost loops of the CPU backend over plain {@code float[]} storage. Two implementations exist: one on the
 * Vector API and a scalar one for JVMs started without {@code jdk.incubator.vector}; blocking, packing and threading
 * above them are shared ({@link Sgemm}). Offsets and lengths are trusted: the backend checks them first.
 */
public interface CpuKernels {

    /** What runs, for the backend's log line, e.g. "Vector API, 512-bit vectors (16 floats)". */
    String description();

    /** Rows of the GEMM micro-tile (the rows of A one micro-kernel call reads). */
    int mr();

    /** Columns of the GEMM micro-tile (the packed B micro-panel width). */
    int nr();

    /**
     * C[0..mr, 0..nr] = alpha * A * Bpanel + beta * C over {@code kc} steps, A's row i, step p read at
     * {@code a[aOffset + i * rowStride + p * stepStride]}: a packed micro-panel (row stride 1, step stride mr) or A
     * where it is stored. The B panel holds nr floats per step (the layout {@link GemmPacking} writes). C is not
     * read when beta is 0. Edge tiles go through a scratch tile and {@link #mergeTile}.
     */
    void microKernel(int kc, float[] a, int aOffset, int rowStride, int stepStride, float[] b, int bOffset,
                     float alpha, float beta, float[] c, int cOffset, int ldc);

    /**
     * The left half of a micro-tile, for edge panels of at most nr / 2 columns: {@code tile[r * nr + j]} = sum over
     * the {@code kc} steps of A(r, p) * Bpanel(p, j) for j &lt; nr / 2 (A addressed as in {@link #microKernel}), the
     * same products in the same order as there. Merged into C by {@link #mergeTile}.
     */
    void halfTile(int kc, float[] a, int aOffset, int rowStride, int stepStride, float[] b, int bOffset, float[] tile);

    /**
     * C[0..rows, 0..cols] = alpha * tile + beta * C for a partial tile, the tile's row stride being {@link #nr()}. C is
     * not read when beta is 0.
     */
    void mergeTile(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cOffset, int ldc);

    /** y[0..n) += alpha * x[0..n). */
    void axpy(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset);

    /** Sum of x[i] * y[i]; float rounding is confined to short blocks whose sums are added in double. */
    double dot(int n, float[] x, int xOffset, float[] y, int yOffset);

    /** Sum of x[i]^2 with double's range: finite float inputs never overflow or underflow it. */
    double sumOfSquares(int n, float[] x, int xOffset);

    /** x[0..n) *= alpha. */
    void scal(int n, float alpha, float[] x, int xOffset);

    /** m[i, j] += bias[j] for a rows x cols block with row stride {@code ld}. */
    void addRowVector(int rows, int cols, float[] m, int mOffset, int ld, float[] bias, int biasOffset);

    /** out[j] = sum over i of m[i, j] for a rows x cols block with row stride {@code cols}. */
    void columnSums(int rows, int cols, float[] m, int mOffset, float[] out, int outOffset);

    /** x = x &gt; 0 ? x : 0 (NaN becomes 0, as in the reference backend). */
    void relu(int n, float[] x, int xOffset);

    /** g[i] = 0 where act[i] is not &gt; 0. */
    void reluBackward(int n, float[] act, int actOffset, float[] g, int gOffset);
}
