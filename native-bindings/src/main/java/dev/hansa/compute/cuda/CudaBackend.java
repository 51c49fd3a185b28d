package dev.hansa.compute.cuda;

import dev.hansa.compute.Backend;
import dev.hansa.compute.CheckedBackend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;
import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.lang.foreign.MemorySegment;

/**
 * {@link Backend} on an NVIDIA GPU: arrays live in device memory, BLAS work goes to cuBLAS, the network helpers to
 * the kernels of {@code hansa_kernels.cu}, all queued on one stream. Host copies and the loss of
 * {@link #softmaxCrossEntropy} are the only points where the host waits; everything else returns once queued.
 *
 * <p>Row-major on column-major cuBLAS: a row-major m x n matrix with leading dimension ld is the column-major n x m
 * matrix with the same ld, so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T, i.e. {@code cublasSgemm} with the
 * operands swapped and m and n exchanged; GEMV uses the opposite transpose flag. Shapes cuBLAS does not define the
 * way {@link Backend} does (k = 0, alpha = 0, empty GEMV) are handled here with a scaling kernel.
 *
 * <p>Thread-safe: calls serialise on the context. {@link #close()} frees arrays still open and everything else.
 */
public final class CudaBackend extends CheckedBackend<DeviceFloatArray> {

    /** cuBLAS level-1 lengths are C ints: longer vectors go in chunks of this many floats. */
    private static final int CHUNK = 1 << 30;
    /** Columns per centred block of {@link #pairwiseSquaredDistances}: enough for one GEMM to fill the GPU. */
    private static final long PAIRWISE_BLOCK_FLOATS = 1L << 24;

    private final CudaContext context;
    private final boolean tf32;
    // Scratch of softmaxCrossEntropy, grown as needed: int labels, per-row losses, their double total.
    private DeviceFloatArray labels;
    private DeviceFloatArray rowLoss;
    private DeviceFloatArray total;

    private CudaBackend(CudaContext context, boolean tf32) {
        super(DeviceFloatArray.class);
        this.context = context;
        this.tf32 = tf32;
    }

    /** Device 0 with full FP32 GEMMs; throws {@link CudaUnavailableException} if CUDA cannot run here. */
    public static CudaBackend create() {
        return create(0, false);
    }

    /**
     * Device {@code device}; with {@code tf32}, cuBLAS may round GEMM inputs to TF32 (10-bit mantissa) on tensor
     * cores, several times faster on Ampere and newer, about 1e-3 relative error.
     */
    public static CudaBackend create(int device, boolean tf32) {
        return new CudaBackend(CudaContext.open(device, tf32), tf32);
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The device and library versions. */
    public CudaDeviceInfo device() {
        return context.info;
    }

    /** For a log line: device, versions and math mode. */
    public String description() {
        return context.info + (tf32 ? ", TF32 GEMMs" : ", FP32 GEMMs");
    }

    /** Bytes of device memory held by arrays that are still open. */
    public long allocatedBytes() {
        return context.liveBytes();
    }

    /** Number of arrays (owners) still open. */
    public int openArrays() {
        return context.liveBuffers();
    }

    /** {free, total} device memory in bytes as the driver reports it. */
    public long[] deviceMemory() {
        return context.call(context::memoryInfo);
    }

    @Override
    public FloatArray allocate(long length) {
        FloatArray array = allocateUninitialised(length);
        fill(array, 0f);
        return array;
    }

    @Override
    public FloatArray upload(float[] host) {
        FloatArray array = allocateUninitialised(host.length);
        array.copyFromHost(host);
        return array;
    }

    private DeviceFloatArray allocateUninitialised(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
        return DeviceFloatArray.own(this, context.allocate(length * Float.BYTES), length);
    }

    void upload(float[] src, int srcOffset, DeviceFloatArray dst, long dstOffset, int count) {
        if (count == 0) {
            return;
        }
        context.run(() -> context.staging.upload(src, srcOffset, dst.address() + dstOffset * Float.BYTES, count));
    }

    void download(DeviceFloatArray src, long srcOffset, float[] dst, int dstOffset, int count) {
        if (count == 0) {
            return;
        }
        context.run(() -> context.staging.download(src.address() + srcOffset * Float.BYTES, dst, dstOffset, count));
    }

    @Override
    protected void implGemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float alpha, DeviceFloatArray da, int lda, DeviceFloatArray db, int ldb,
                            float beta, DeviceFloatArray dc, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        context.run(() -> {
            if (k == 0 || alpha == 0f) {
                context.kernels.scaleMatrix(m, n, beta, dc.address(), ldc);
            } else {
                context.cublas.sgemm(transB.transposed(), transA.transposed(), n, m, k, alpha, db.address(), ldb,
                        da.address(), lda, beta, dc.address(), ldc);
            }
        });
    }

    @Override
    protected void implGemv(Transpose transA, int m, int n, float alpha, DeviceFloatArray da, int lda,
                            DeviceFloatArray dx, float beta, DeviceFloatArray dy) {
        context.run(() -> {
            if (alpha == 0f || m == 0 || n == 0) {
                context.kernels.scaleMatrix(1, (int) dy.length(), beta, dy.address(), (int) Math.max(1, dy.length()));
            } else {
                // Row-major A (m x n) is column-major A^T (n x m): y = A x is (A^T)^T x.
                context.cublas.sgemv(!transA.transposed(), n, m, alpha, da.address(), lda, dx.address(), beta,
                        dy.address());
            }
        });
    }

    @Override
    protected void implAxpy(float alpha, DeviceFloatArray dx, DeviceFloatArray dy) {
        context.run(() -> {
            for (long at = 0; at < dx.length(); at += CHUNK) {
                int n = (int) Math.min(CHUNK, dx.length() - at);
                context.cublas.saxpy(n, alpha, dx.address() + at * Float.BYTES, dy.address() + at * Float.BYTES);
            }
        });
    }

    @Override
    protected float implDot(DeviceFloatArray dx, DeviceFloatArray dy) {
        return context.call(() -> {
            double sum = 0;
            for (long at = 0; at < dx.length(); at += CHUNK) {
                int n = (int) Math.min(CHUNK, dx.length() - at);
                sum += context.cublas.sdot(n, dx.address() + at * Float.BYTES, dy.address() + at * Float.BYTES);
            }
            return (float) sum;
        });
    }

    @Override
    protected float implNrm2(DeviceFloatArray dx) {
        return context.call(() -> {
            double sumOfSquares = 0;
            for (long at = 0; at < dx.length(); at += CHUNK) {
                double norm = context.cublas.snrm2((int) Math.min(CHUNK, dx.length() - at), dx.address() + at * Float.BYTES);
                sumOfSquares += norm * norm;
            }
            return (float) Math.sqrt(sumOfSquares);
        });
    }

    @Override
    protected void implScal(float alpha, DeviceFloatArray dx) {
        context.run(() -> {
            for (long at = 0; at < dx.length(); at += CHUNK) {
                context.cublas.sscal((int) Math.min(CHUNK, dx.length() - at), alpha, dx.address() + at * Float.BYTES);
            }
        });
    }

    @Override
    protected void implCopy(DeviceFloatArray ds, DeviceFloatArray dd) {
        if (ds.length() == 0) {
            return;
        }
        context.run(() -> {
            long bytes = ds.length() * Float.BYTES;
            int status = cuda_runtime_api_h.cudaMemcpyAsync(MemorySegment.ofAddress(dd.address()),
                    MemorySegment.ofAddress(ds.address()), bytes, cuda_runtime_api_h.cudaMemcpyDeviceToDevice(),
                    context.stream);
            if (status != 0) {
                Status.runtime(status, "cudaMemcpyAsync(" + bytes + " bytes, device to device)");
            }
        });
    }

    @Override
    protected void implFill(DeviceFloatArray dx, float value) {
        context.run(() -> context.kernels.fill(dx.length(), value, dx.address()));
    }

    @Override
    protected void implPairwiseSquaredDistances(int n, int d, DeviceFloatArray dx, DeviceFloatArray dout) {
        if (n == 0) {
            return;
        }
        if (d == 0) {
            fill(dout.slice(0, (long) n * n), 0f);
            return;
        }
        int width = (int) Math.min(d, Math.max(4096, PAIRWISE_BLOCK_FLOATS / n));
        try (DeviceFloatArray negMean = allocateUninitialised(d);
             DeviceFloatArray centred = allocateUninitialised((long) n * width)) {
            context.run(() -> {
                context.kernels.columnSums(n, d, dx.address(), negMean.address());
                context.cublas.sscal(d, -1f / n, negMean.address());
                for (int d0 = 0; d0 < d; d0 += width) {
                    int w = Math.min(width, d - d0);
                    context.kernels.centreBlock(n, d, d0, w, dx.address(), negMean.address(), centred.address());
                    // out (row-major n x n) += centred centred^T: column-major, that is centred^T^T centred^T.
                    context.cublas.sgemm(true, false, n, n, w, 1f, centred.address(), w, centred.address(), w,
                            d0 == 0 ? 0f : 1f, dout.address(), n);
                }
                context.kernels.gramToDistances(n, dout.address());
            });
        }
    }

    @Override
    protected void implAddRowVector(int rows, int cols, DeviceFloatArray dm, DeviceFloatArray db) {
        context.run(() -> context.kernels.addRowVector(rows, cols, dm.address(), db.address()));
    }

    @Override
    protected void implColumnSums(int rows, int cols, DeviceFloatArray dm, DeviceFloatArray dout) {
        context.run(() -> context.kernels.columnSums(rows, cols, dm.address(), dout.address()));
    }

    @Override
    protected void implRelu(DeviceFloatArray dx) {
        context.run(() -> context.kernels.relu(dx.length(), dx.address()));
    }

    @Override
    protected void implReluBackward(DeviceFloatArray da, DeviceFloatArray dg) {
        context.run(() -> context.kernels.reluBackward(dg.length(), da.address(), dg.address()));
    }

    @Override
    protected void implIm2col(int channels, int batch, int height, int width, int kernel, DeviceFloatArray images,
                              DeviceFloatArray columns) {
        context.run(() -> context.kernels.im2col(channels, batch, height, width, kernel, images.address(),
                columns.address()));
    }

    @Override
    protected void implCol2im(int channels, int batch, int height, int width, int kernel, DeviceFloatArray columns,
                              DeviceFloatArray images) {
        context.run(() -> context.kernels.col2im(channels, batch, height, width, kernel, columns.address(),
                images.address()));
    }

    @Override
    protected void implMaxPool(int planes, int height, int width, DeviceFloatArray in, DeviceFloatArray out) {
        context.run(() -> context.kernels.maxPool(planes, height, width, in.address(), out.address()));
    }

    @Override
    protected void implMaxPoolBackward(int planes, int height, int width, DeviceFloatArray in,
                                       DeviceFloatArray gradOut, DeviceFloatArray gradIn) {
        context.run(() -> context.kernels.maxPoolBackward(planes, height, width, in.address(), gradOut.address(),
                gradIn.address()));
    }

    @Override
    protected void implSwapAxes(int a, int b, int block, DeviceFloatArray in, DeviceFloatArray out) {
        context.run(() -> context.kernels.swapAxes(a, b, block, in.address(), out.address()));
    }

    /**
     * Uploads the labels (queued, no wait), runs one warp per row, sums the row losses in double on the device in a
     * fixed order, and waits for that one double: the only host round trip of a training step.
     */
    @Override
    protected double implSoftmaxCrossEntropy(int rows, int cols, DeviceFloatArray dl, int[] labels,
                                             DeviceFloatArray dg) {
        if (rows == 0) {
            return 0;
        }
        return context.call(() -> {
            ensureLossBuffers(rows);
            context.staging.uploadInts(labels, rows, this.labels.address());
            context.kernels.softmaxXent(rows, cols, dl.address(), this.labels.address(), dg.address(), rowLoss.address());
            context.kernels.sumToDouble(rows, rowLoss.address(), total.address());
            return context.staging.downloadDouble(total.address());
        });
    }

    /** Grows the label and row-loss buffers (floats and ints are both 4 bytes); called under the lock. */
    private void ensureLossBuffers(int rows) {
        if (labels == null || labels.length() < rows) {
            if (labels != null) {
                labels.close();
                rowLoss.close();
            }
            labels = allocateUninitialised(rows);
            rowLoss = allocateUninitialised(rows);
        }
        if (total == null) {
            total = allocateUninitialised(2); // one double
        }
    }

    @Override
    public void synchronize() {
        context.run(() -> Status.runtime(cuda_runtime_api_h.cudaStreamSynchronize(context.stream), "cudaStreamSynchronize"));
    }

    /** Frees every array still open (with a warning), the staging buffer, module, cuBLAS handle and stream. */
    @Override
    public void close() {
        // The loss scratch is the backend's own, so it must not show up as leaked arrays.
        for (DeviceFloatArray own : new DeviceFloatArray[] {labels, rowLoss, total}) {
            if (own != null) {
                own.close();
            }
        }
        context.close();
    }
}
