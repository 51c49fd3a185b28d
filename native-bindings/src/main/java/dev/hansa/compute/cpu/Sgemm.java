package dev.hansa.compute.cpu;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Single-precision GEMM on row-major {@code float[]} storage, in the GotoBLAS/BLIS structure. Loops from the outside:
 * column blocks of C ({@link #NC}), depth blocks of k ({@link #KC}; B block packed, lives in L3), row blocks
 * ({@link #MC}; A block packed, lives in L2), then B micro-panels (each stays in L1 while every A micro-panel of the
 * block streams past it), then A micro-panels; each pair feeds one micro-kernel call that updates an mr x nr tile of
 * C in place (edge tiles go through a scratch tile). With NC that wide, each operand is
 * packed about once per product, which matters at the mid sizes the trainers use (batch 256 x 784 x 1024).
 *
 * <p>Products big enough to amortise a thread hand-off are split into one contiguous strip of C per thread along the
 * longer side of C, so the operand every thread packs in full is the smaller one. Block sizes were tuned on Zen 4
 * (32 KiB L1d, 1 MiB L2 per core); they are not critical within a factor of two.
 */
public final class Sgemm {

    static final int KC = 256;
    static final int MC = 360;
    static final int NC = 4096;
    /** Below this many multiply-adds, one thread finishes before a hand-off to a second one would pay off. */
    static final long PARALLEL_MIN_WORK = 1L << 21;
    /** Largest C (in floats) computed transposed through scratch when it is narrower than a micro-tile. */
    static final long NARROW_MAX = 1L << 22;

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
        if (n < nr && m >= 2 * n && (long) m * n <= NARROW_MAX) {
            narrow(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            return;
        }
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

    /**
     * C with fewer columns than a micro-tile (logits: batch x 10 classes) would waste most of every tile, so compute
     * C^T = op(B)^T op(A)^T (n x m, the long side along the vector lanes) into a scratch matrix and transpose it in.
     */
    private void narrow(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        float[] a, int ao, int lda, float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        float[] transposed = new float[m * n];
        gemm(!transB, !transA, n, m, k, alpha, b, bo, ldb, a, ao, lda, 0f, transposed, 0, m);
        for (int i = 0; i < m; i++) {
            int row = co + i * ldc;
            for (int j = 0; j < n; j++) {
                float v = transposed[j * m + i];
                c[row + j] = beta == 0f ? v : Math.fma(beta, c[row + j], v);
            }
        }
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
                    for (int ic = 0; ic < m; ic += MC) {
                        int mc = Math.min(MC, m - ic);
                        GemmPacking.packA(transA, a, ao, lda, ic, pc, mc, depth, mr, buf.a);
                        for (int jr = 0; jr < nc; jr += nr) {
                            int cols = Math.min(nr, nc - jr);
                            for (int ir = 0; ir < mc; ir += mr) {
                                int rows = Math.min(mr, mc - ir), cAt = co + (ic + ir) * ldc + jc + jr;
                                if (rows == mr && cols == nr) {
                                    kernels.microKernel(depth, buf.a, ir * depth, buf.b, jr * depth,
                                            alpha, blockBeta, c, cAt, ldc);
                                } else {
                                    kernels.microKernel(depth, buf.a, ir * depth, buf.b, jr * depth,
                                            1f, 0f, buf.tile, 0, nr);
                                    kernels.mergeTile(buf.tile, rows, cols, alpha, blockBeta, c, cAt, ldc);
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
