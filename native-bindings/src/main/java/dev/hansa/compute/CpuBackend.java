package dev.hansa.compute;

import dev.hansa.compute.cpu.CpuKernelChoice;
import dev.hansa.compute.cpu.CpuKernels;
import dev.hansa.compute.cpu.PairwiseDistances;
import dev.hansa.compute.cpu.Sgemm;
import dev.hansa.compute.cpu.WorkerPool;
import java.util.Arrays;

/**
 * The fast host backend: packed, cache-blocked, multi-threaded SGEMM and vectorised level-1 and network kernels over
 * Java heap arrays ({@link HostFloatArray}). The kernels are the Vector API ones when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, else scalar ones ({@link CpuKernelChoice}). {@link JavaBackend} stays
 * the reference it is tested against.
 *
 * <p>Calls are thread-safe; each call splits large work over the backend's own daemon worker threads (one fewer
 * than {@code threads}; the caller is the other). {@link #close()} stops them.
 */
public final class CpuBackend extends HostBackend {

    /** Element-wise work below this many floats stays on the calling thread. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 18;

    private final CpuKernels kernels;
    private final WorkerPool pool;
    private final Sgemm sgemm;

    /** One thread per available processor, best kernels for this JVM. */
    public CpuBackend() {
        this(CpuKernelChoice.best(), Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(CpuKernels kernels, int threads) {
        this.kernels = kernels;
        this.pool = new WorkerPool(threads);
        this.sgemm = new Sgemm(kernels, pool);
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** The kernels and thread count, e.g. for a log line. */
    public String description() {
        return kernels.description() + ", " + pool.parallelism() + " thread" + (pool.parallelism() == 1 ? "" : "s");
    }

    @Override
    protected void implGemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float alpha, HostFloatArray a, int lda, HostFloatArray b, int ldb,
                            float beta, HostFloatArray c, int ldc) {
        sgemm.gemm(transA.transposed(), transB.transposed(), m, n, k, alpha, a.data(), a.offset(), lda,
                b.data(), b.offset(), ldb, beta, c.data(), c.offset(), ldc);
    }

    @Override
    protected void implGemv(Transpose transA, int m, int n, float alpha, HostFloatArray a, int lda, HostFloatArray x,
                            float beta, HostFloatArray y) {
        float[] ad = a.data(), xd = x.data(), yd = y.data();
        int ao = a.offset(), xo = x.offset(), yo = y.offset();
        if (alpha == 0f) {
            scaleRange(beta, yd, yo, (int) y.length());
        } else if (!transA.transposed()) {
            // y[i] = alpha * <row i, x> + beta * y[i], rows split over threads.
            forRanges(m, (long) m * n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float v = alpha * (float) kernels.dot(n, ad, ao + i * lda, xd, xo);
                    yd[yo + i] = beta == 0f ? v : Math.fma(beta, yd[yo + i], v);
                }
            });
        } else {
            // y = beta * y + sum_i (alpha * x[i]) * row i, with y's columns split over threads.
            forRanges(n, (long) m * n, (from, to) -> {
                scaleRange(beta, yd, yo + from, to - from);
                for (int i = 0; i < m; i++) {
                    kernels.axpy(to - from, alpha * xd[xo + i], ad, ao + i * lda + from, yd, yo + from);
                }
            });
        }
    }

    @Override
    protected void implAxpy(float alpha, HostFloatArray x, HostFloatArray y) {
        forRanges((int) x.length(), x.length(), (from, to) ->
                kernels.axpy(to - from, alpha, x.data(), x.offset() + from, y.data(), y.offset() + from));
    }

    @Override
    protected float implDot(HostFloatArray x, HostFloatArray y) {
        return (float) kernels.dot((int) x.length(), x.data(), x.offset(), y.data(), y.offset());
    }

    @Override
    protected float implNrm2(HostFloatArray x) {
        return (float) Math.sqrt(kernels.sumOfSquares((int) x.length(), x.data(), x.offset()));
    }

    @Override
    protected void implScal(float alpha, HostFloatArray x) {
        forRanges((int) x.length(), x.length(), (from, to) -> kernels.scal(to - from, alpha, x.data(), x.offset() + from));
    }

    @Override
    protected void implPairwiseSquaredDistances(int n, int d, HostFloatArray x, HostFloatArray out) {
        PairwiseDistances.compute(n, d, x.data(), x.offset(), out.data(), out.offset(), kernels, sgemm);
    }

    @Override
    protected void implAddRowVector(int rows, int cols, HostFloatArray matrix, HostFloatArray bias) {
        kernels.addRowVector(rows, cols, matrix.data(), matrix.offset(), cols, bias.data(), bias.offset());
    }

    @Override
    protected void implColumnSums(int rows, int cols, HostFloatArray matrix, HostFloatArray out) {
        kernels.columnSums(rows, cols, matrix.data(), matrix.offset(), out.data(), out.offset());
    }

    @Override
    protected void implRelu(HostFloatArray x) {
        kernels.relu((int) x.length(), x.data(), x.offset());
    }

    @Override
    protected void implReluBackward(HostFloatArray activation, HostFloatArray grad) {
        kernels.reluBackward((int) grad.length(), activation.data(), activation.offset(), grad.data(), grad.offset());
    }

    /** Stops the worker threads. Arrays stay usable; later calls run on the calling thread alone. */
    @Override
    public void close() {
        pool.close();
    }

    private interface Range {
        void run(int from, int to);
    }

    /** Splits [0, extent) into one contiguous range per thread when {@code work} is large enough. */
    private void forRanges(int extent, long work, Range body) {
        int parts = work < PARALLEL_MIN_ELEMENTS ? 1 : (int) Math.min(pool.parallelism(), extent);
        if (parts <= 1) {
            body.run(0, extent);
            return;
        }
        int chunk = (extent + parts - 1) / parts;
        pool.run(parts, part -> {
            int from = part * chunk, to = Math.min(extent, from + chunk);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    private void scaleRange(float beta, float[] y, int offset, int length) {
        if (beta == 0f) {
            Arrays.fill(y, offset, offset + length, 0f);
        } else if (beta != 1f) {
            kernels.scal(length, beta, y, offset);
        }
    }
}
