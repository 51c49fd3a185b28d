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
public final class CpuBackend implements Backend {

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
    public FloatArray allocate(long length) {
        return HostFloatArray.allocate(this, length);
    }

    private HostFloatArray host(FloatArray array, String name) {
        return HostFloatArray.of(array, this, name);
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, FloatArray a, int lda, FloatArray b, int ldb,
                     float beta, FloatArray c, int ldc) {
        Shapes.checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        HostFloatArray ha = host(a, "a"), hb = host(b, "b"), hc = host(c, "c");
        sgemm.gemm(transA.transposed(), transB.transposed(), m, n, k, alpha, ha.data(), ha.offset(), lda,
                hb.data(), hb.offset(), ldb, beta, hc.data(), hc.offset(), ldc);
    }

    @Override
    public void gemv(Transpose transA, int m, int n, float alpha, FloatArray a, int lda, FloatArray x,
                     float beta, FloatArray y) {
        Shapes.checkGemv(transA, m, n, a, lda, x, y);
        HostFloatArray ha = host(a, "a"), hx = host(x, "x"), hy = host(y, "y");
        float[] ad = ha.data(), xd = hx.data(), yd = hy.data();
        int ao = ha.offset(), xo = hx.offset(), yo = hy.offset();
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
    public void axpy(float alpha, FloatArray x, FloatArray y) {
        Shapes.checkSameLength(x, y);
        HostFloatArray hx = host(x, "x"), hy = host(y, "y");
        forRanges((int) x.length(), x.length(), (from, to) ->
                kernels.axpy(to - from, alpha, hx.data(), hx.offset() + from, hy.data(), hy.offset() + from));
    }

    @Override
    public float dot(FloatArray x, FloatArray y) {
        Shapes.checkSameLength(x, y);
        HostFloatArray hx = host(x, "x"), hy = host(y, "y");
        return (float) kernels.dot((int) x.length(), hx.data(), hx.offset(), hy.data(), hy.offset());
    }

    @Override
    public float nrm2(FloatArray x) {
        HostFloatArray hx = host(x, "x");
        return (float) Math.sqrt(kernels.sumOfSquares((int) x.length(), hx.data(), hx.offset()));
    }

    @Override
    public void scal(float alpha, FloatArray x) {
        HostFloatArray hx = host(x, "x");
        forRanges((int) x.length(), x.length(), (from, to) -> kernels.scal(to - from, alpha, hx.data(), hx.offset() + from));
    }

    @Override
    public void copy(FloatArray src, FloatArray dst) {
        Shapes.checkSameLength(src, dst);
        HostFloatArray hs = host(src, "src"), hd = host(dst, "dst");
        System.arraycopy(hs.data(), hs.offset(), hd.data(), hd.offset(), (int) src.length());
    }

    @Override
    public void fill(FloatArray x, float value) {
        HostFloatArray hx = host(x, "x");
        Arrays.fill(hx.data(), hx.offset(), hx.offset() + (int) x.length(), value);
    }

    @Override
    public void pairwiseSquaredDistances(int n, int d, FloatArray x, FloatArray out) {
        Shapes.checkPairwise(n, d, x, out);
        HostFloatArray hx = host(x, "x"), ho = host(out, "out");
        PairwiseDistances.compute(n, d, hx.data(), hx.offset(), ho.data(), ho.offset(), kernels, sgemm);
    }

    @Override
    public void addRowVector(int rows, int cols, FloatArray matrix, FloatArray bias) {
        Shapes.checkMatrix("matrix", rows, cols, matrix);
        Shapes.checkLength("bias", cols, bias);
        HostFloatArray hm = host(matrix, "matrix"), hb = host(bias, "bias");
        kernels.addRowVector(rows, cols, hm.data(), hm.offset(), cols, hb.data(), hb.offset());
    }

    @Override
    public void columnSums(int rows, int cols, FloatArray matrix, FloatArray out) {
        Shapes.checkMatrix("matrix", rows, cols, matrix);
        Shapes.checkLength("out", cols, out);
        HostFloatArray hm = host(matrix, "matrix"), ho = host(out, "out");
        kernels.columnSums(rows, cols, hm.data(), hm.offset(), ho.data(), ho.offset());
    }

    @Override
    public void relu(FloatArray x) {
        HostFloatArray hx = host(x, "x");
        kernels.relu((int) x.length(), hx.data(), hx.offset());
    }

    @Override
    public void reluBackward(FloatArray activation, FloatArray grad) {
        Shapes.checkSameLength(activation, grad);
        HostFloatArray ha = host(activation, "activation"), hg = host(grad, "grad");
        kernels.reluBackward((int) grad.length(), ha.data(), ha.offset(), hg.data(), hg.offset());
    }

    @Override
    public double softmaxCrossEntropy(int rows, int cols, FloatArray logits, int[] labels, FloatArray gradOut) {
        Shapes.checkMatrix("logits", rows, cols, logits);
        Shapes.checkMatrix("gradOut", rows, cols, gradOut);
        Shapes.checkLabels(rows, cols, labels);
        HostFloatArray hl = host(logits, "logits"), hg = host(gradOut, "gradOut");
        // rows x classes is tiny next to the GEMMs around it; the double-precision reference is fast enough.
        return JavaBackend.softmaxCrossEntropy(rows, cols, hl.data(), hl.offset(), labels, hg.data(), hg.offset());
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
