package dev.hansa.compute.cpu;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Single-precision GEMM on row-major {@code float[]} storage, in the GotoBLAS/BLIS structure. Loops from the outside:
 * column blocks of C ({@link #NC}), depth blocks of k ({@link #KC}; B block packed), row blocks ({@link #MC}), then
 * micro-panels of A (mr rows) and of B (nr columns); each pair feeds one micro-kernel call that updates an mr x nr
 * tile of C in place (edge tiles go through a scratch tile). With NC that wide, B is packed about once per product.
 *
 * <p>Two regimes for A. When the packed B block fits in L2 (the products of a training step and of an evaluation
 * pass), A is read where it is stored, transposed or not (the micro-kernel takes a row and a step stride): the loop
 * keeps one A micro-panel in L1 while the B panels stream past it from L2. Otherwise (large products) A blocks are
 * packed once per block and each B micro-panel stays in L1 while the A micro-panels stream past it. At the small
 * batches of federated clients (32 x 784 x 200) the copies, not the arithmetic, were the larger cost.
 *
 * <p>Products big enough to amortise a thread hand-off are split into one contiguous strip of C per thread along the
 * longer side of C. Every element of C is computed by the same sequence of operations whatever the split or the
 * regime, so results do not depend on the number of threads. Block sizes were tuned on Zen 4 (32 KiB L1d, 1 MiB L2
 * per core); they are not critical within a factor of two.
 */
public final class Sgemm {

    static final int KC = 256;
    static final int MC = 360;
    static final int NC = 4096;
    /** Below this many multiply-adds, one thread finishes before a hand-off to a second one would pay off. */
    static final long PARALLEL_MIN_WORK = 1L << 21;
    /** Largest C (in floats) computed transposed through scratch (see {@link #cheaperTransposed}). */
    static final long TRANSPOSED_MAX = 1L << 22;
    /** Largest packed B block (floats) with which A is read in place: half of Zen 4's 1 MiB L2. */
    static final long B_BLOCK_IN_L2 = 1L << 17;
    /** Side of the square blocks in which a transposed result is copied into C. */
    private static final int TRANSPOSE_BLOCK = 64;

    private final CpuKernels kernels;
    private final WorkerPool pool;
    private final int mr;
    private final int nr;
    private final ConcurrentLinkedQueue<Buffers> spare = new ConcurrentLinkedQueue<>();

    public Sgemm(CpuKernels kernels, WorkerPool pool) {
        this.kernels = kernels;
        this.pool = pool;
        this.mr = kernels.mr();
        this.nr = kernels.nr();
    }

    /**
     * Packing space for one thread, grown to the largest blocks seen (at most about 4.5 MB). Reused through
     * {@link #spare} rather than a ThreadLocal, so callers on short-lived or virtual threads keep nothing alive.
     */
    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile;

        Buffers(int tileSize) {
            tile = new float[tileSize];
        }

        void reserve(int aSize, int bSize) {
            if (a.length < aSize) {
                a = new float[aSize];
            }
            if (b.length < bSize) {
                b = new float[bSize];
            }
        }
    }

    /**
     * C = alpha * op(A) * op(B) + beta * C, all row-major with the given offsets and leading dimensions (already
     * checked by the caller). C is not read when beta is 0; A and B are not read when alpha or k is 0.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, co, ldc);
            return;
        }
        if (cheaperTransposed(transA, transB, m, n)) {
            transposed(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        } else {
            product(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        }
    }

    /**
     * Whether computing C^T = op(B)^T op(A)^T packs less. When both operands run along k in memory (A untransposed,
     * B transposed: the forward pass X W^T), A is read in place while B is packed by a scatter, so the swap packs
     * the smaller of the two (batch x in, not out x in). Narrow outputs need no swap: their edge panels take the
     * half-width kernel.
     */
    private boolean cheaperTransposed(boolean transA, boolean transB, int m, int n) {
        return !transA && transB && m < n && (long) m * n <= TRANSPOSED_MAX;
    }

    /** C^T = op(B)^T op(A)^T into scratch, then transposed into C with alpha applied and beta merged. */
    private void transposed(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co,
                            int ldc) {
        float[] t = new float[m * n];
        product(!transB, !transA, n, m, k, alpha, b, bo, ldb, a, ao, lda, 0f, t, 0, m);
        // In square blocks, so that both the column reads of t and the row writes of C stay in cache.
        for (int i0 = 0; i0 < m; i0 += TRANSPOSE_BLOCK) {
            int i1 = Math.min(m, i0 + TRANSPOSE_BLOCK);
            for (int j0 = 0; j0 < n; j0 += TRANSPOSE_BLOCK) {
                int j1 = Math.min(n, j0 + TRANSPOSE_BLOCK);
                for (int i = i0; i < i1; i++) {
                    int row = co + i * ldc;
                    for (int j = j0; j < j1; j++) {
                        float v = t[j * m + i];
                        c[row + j] = beta == 0f ? v : Math.fma(beta, c[row + j], v);
                    }
                }
            }
        }
    }

    /** The product as stored, in one strip of C per thread when it is large enough. */
    private void product(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        boolean splitRows = m > n;
        int unit = splitRows ? mr : nr, extent = splitRows ? m : n;
        int parts = parts((long) m * n * k, extent, unit);
        if (parts == 1) {
            serial(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            return;
        }
        int strip = roundUp(ceilDiv(extent, parts), unit);
        pool.run(parts, part -> {
            int from = part * strip, size = Math.min(strip, extent - from);
            if (size <= 0) {
                return;
            }
            if (splitRows) {
                int aAt = ao + (transA ? from : from * lda);
                serial(transA, transB, size, n, k, alpha, a, aAt, lda, b, bo, ldb, beta, c, co + from * ldc, ldc);
            } else {
                int bAt = bo + (transB ? from * ldb : from);
                serial(transA, transB, m, size, k, alpha, a, ao, lda, b, bAt, ldb, beta, c, co + from, ldc);
            }
        });
    }

    private int parts(long work, int extent, int unit) {
        long byWork = work / PARALLEL_MIN_WORK;
        long byShape = ceilDiv(extent, unit);
        return (int) Math.max(1, Math.min(pool.parallelism(), Math.min(byWork, byShape)));
    }

    private void serial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        Buffers buf = spare.poll();
        if (buf == null) {
            buf = new Buffers(mr * nr);
        }
        try {
            int kBlocks = ceilDiv(k, KC), kc = ceilDiv(k, kBlocks); // equal depths: no thin last block
            buf.reserve(roundUp(Math.min(m, MC), mr) * kc, kc * roundUp(Math.min(n, NC), nr));
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                for (int pc = 0; pc < k; pc += kc) {
                    int depth = Math.min(kc, k - pc);
                    float blockBeta = pc == 0 ? beta : 1f;
                    GemmPacking.packB(transB, b, bo, ldb, pc, jc, depth, nc, nr, buf.b);
                    // A is read where it is stored when the packed B block fits in L2: each A micro-panel then stays
                    // in L1 while every B panel streams past it, so a copy would only read it once more. Otherwise A
                    // blocks are packed and B panels stay in L1 instead.
                    boolean aInPlace = (long) depth * roundUp(nc, nr) <= B_BLOCK_IN_L2;
                    // Where row i, step p of A is stored: a[ao + i * rowStride + p * stepStride].
                    int rowStride = transA ? 1 : lda, stepStride = transA ? lda : 1;
                    for (int ic = 0; ic < m; ic += MC) {
                        int mc = Math.min(MC, m - ic);
                        if (aInPlace) {
                            int whole = mc - mc % mr;
                            if (whole < mc) { // the partial last micro-panel, zero-padded
                                GemmPacking.packA(transA, a, ao, lda, ic + whole, pc, mc - whole, depth, mr, buf.a);
                            }
                            for (int ir = 0; ir < mc; ir += mr) {
                                boolean stored = ir < whole;
                                float[] as = stored ? a : buf.a;
                                int aAt = stored ? ao + (ic + ir) * rowStride + pc * stepStride : 0;
                                for (int jr = 0; jr < nc; jr += nr) {
                                    tile(depth, as, aAt, stored ? rowStride : 1, stored ? stepStride : mr, buf, jr,
                                            Math.min(mr, mc - ir), Math.min(nr, nc - jr), alpha, blockBeta, c,
                                            co + (ic + ir) * ldc + jc + jr, ldc);
                                }
                            }
                        } else {
                            GemmPacking.packA(transA, a, ao, lda, ic, pc, mc, depth, mr, buf.a);
                            for (int jr = 0; jr < nc; jr += nr) {
                                for (int ir = 0; ir < mc; ir += mr) {
                                    tile(depth, buf.a, ir * depth, 1, mr, buf, jr, Math.min(mr, mc - ir),
                                            Math.min(nr, nc - jr), alpha, blockBeta, c, co + (ic + ir) * ldc + jc + jr, ldc);
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            if (spare.size() < 2 * pool.parallelism()) {
                spare.offer(buf);
            }
        }
    }

    /**
     * One micro-tile of C: in place when whole, through the scratch tile at the edges, and with half the arithmetic
     * when the edge panel is at most half as wide as a tile (the last 8 of the 200 hidden units, say).
     */
    private void tile(int depth, float[] a, int aAt, int rowStride, int stepStride, Buffers buf, int jr, int rows,
                      int cols, float alpha, float beta, float[] c, int cAt, int ldc) {
        if (rows == mr && cols == nr) {
            kernels.microKernel(depth, a, aAt, rowStride, stepStride, buf.b, jr * depth, alpha, beta, c, cAt, ldc);
        } else if (cols <= nr / 2) {
            kernels.halfTile(depth, a, aAt, rowStride, stepStride, buf.b, jr * depth, buf.tile);
            kernels.mergeTile(buf.tile, rows, cols, alpha, beta, c, cAt, ldc);
        } else {
            kernels.microKernel(depth, a, aAt, rowStride, stepStride, buf.b, jr * depth, 1f, 0f, buf.tile, 0, nr);
            kernels.mergeTile(buf.tile, rows, cols, alpha, beta, c, cAt, ldc);
        }
    }

    private void scale(int m, int n, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = co + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1f) {
                kernels.scal(n, beta, c, row);
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
