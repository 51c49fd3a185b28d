package dev.hansa.compute.cuda;

import dev.hansa.compute.cuda.bindings.cuda_h;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * The kernels of {@code src/main/cuda/hansa_kernels.cu}, loaded from the committed PTX resource through the driver
 * API ({@code cuModuleLoadData}, JIT-compiled for the device) and launched with {@code cuLaunchKernel} on the
 * context's stream. One typed method per kernel mirrors its C parameter list; callers hold the context's lock.
 */
final class CudaKernels implements AutoCloseable {

    static final String PTX_RESOURCE = "hansa_kernels.ptx";
    private static final int BLOCK = 256;

    /**
     * Each kernel's parameter kinds in order (i32: int, i64: long long, f32: float, ptr: device pointer). Every launch
     * checks its arguments against this table, and a test checks the table against the PTX's parameter lists, so a
     * .cu signature change cannot silently shift arguments.
     */
    static final Map<String, String> SIGNATURES = Map.ofEntries(
            Map.entry("hansa_fill", "i64 f32 ptr"),
            Map.entry("hansa_scale_matrix", "i32 i32 f32 ptr i32"),
            Map.entry("hansa_add_row_vector", "i32 i32 ptr ptr"),
            Map.entry("hansa_column_sums", "i32 i32 ptr ptr"),
            Map.entry("hansa_relu", "i64 ptr"),
            Map.entry("hansa_relu_backward", "i64 ptr ptr"),
            Map.entry("hansa_softmax_xent", "i32 i32 ptr ptr ptr ptr"),
            Map.entry("hansa_sum_to_double", "i32 ptr ptr"),
            Map.entry("hansa_centre_block", "i32 i32 i32 i32 ptr ptr ptr"),
            Map.entry("hansa_gram_to_distances", "i32 ptr"),
            Map.entry("hansa_zero_diagonal", "i32 ptr"),
            Map.entry("hansa_im2col", "i32 i32 i32 i32 i32 ptr ptr"),
            Map.entry("hansa_col2im", "i32 i32 i32 i32 i32 ptr ptr"),
            Map.entry("hansa_max_pool", "i32 i32 i32 ptr ptr"),
            Map.entry("hansa_max_pool_backward", "i32 i32 i32 ptr ptr ptr"),
            Map.entry("hansa_swap_axes", "i32 i32 i32 ptr ptr"));

    /** A loaded kernel. */
    private record Kernel(String name, String signature, MemorySegment function) {
    }

    private final MemorySegment stream;
    private final KernelArgs args;
    private final int maxBlocks;
    private final MemorySegment module;
    private final Kernel fill;
    private final Kernel scaleMatrix;
    private final Kernel addRowVector;
    private final Kernel columnSums;
    private final Kernel relu;
    private final Kernel reluBackward;
    private final Kernel softmaxXent;
    private final Kernel sumToDouble;
    private final Kernel centreBlock;
    private final Kernel gramToDistances;
    private final Kernel zeroDiagonal;
    private final Kernel im2col;
    private final Kernel col2im;
    private final Kernel maxPool;
    private final Kernel maxPoolBackward;
    private final Kernel swapAxes;
    private boolean closed;

    CudaKernels(Arena arena, MemorySegment stream, int multiprocessors) {
        this.stream = stream;
        this.args = new KernelArgs(arena);
        this.maxBlocks = Math.max(1, multiprocessors) * 32;
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        Status.driver(cuda_h.cuModuleLoadData(out, ptx(arena)), "cuModuleLoadData(" + PTX_RESOURCE + ")");
        this.module = out.get(ValueLayout.ADDRESS, 0);
        try {
            this.fill = kernel(arena, "hansa_fill");
            this.scaleMatrix = kernel(arena, "hansa_scale_matrix");
            this.addRowVector = kernel(arena, "hansa_add_row_vector");
            this.columnSums = kernel(arena, "hansa_column_sums");
            this.relu = kernel(arena, "hansa_relu");
            this.reluBackward = kernel(arena, "hansa_relu_backward");
            this.softmaxXent = kernel(arena, "hansa_softmax_xent");
            this.sumToDouble = kernel(arena, "hansa_sum_to_double");
            this.centreBlock = kernel(arena, "hansa_centre_block");
            this.gramToDistances = kernel(arena, "hansa_gram_to_distances");
            this.zeroDiagonal = kernel(arena, "hansa_zero_diagonal");
            this.im2col = kernel(arena, "hansa_im2col");
            this.col2im = kernel(arena, "hansa_col2im");
            this.maxPool = kernel(arena, "hansa_max_pool");
            this.maxPoolBackward = kernel(arena, "hansa_max_pool_backward");
            this.swapAxes = kernel(arena, "hansa_swap_axes");
        } catch (RuntimeException e) {
            cuda_h.cuModuleUnload(module);
            throw e;
        }
    }

    /** The PTX text, NUL-terminated as cuModuleLoadData expects. */
    static MemorySegment ptx(Arena arena) {
        try (InputStream in = CudaKernels.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + PTX_RESOURCE + " is missing from the classpath");
            }
            byte[] text = in.readAllBytes();
            MemorySegment image = arena.allocate(text.length + 1L);
            MemorySegment.copy(text, 0, image, ValueLayout.JAVA_BYTE, 0, text.length);
            image.set(ValueLayout.JAVA_BYTE, text.length, (byte) 0);
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Kernel kernel(Arena arena, String name) {
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        Status.driver(cuda_h.cuModuleGetFunction(out, module, arena.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
        return new Kernel(name, SIGNATURES.get(name), out.get(ValueLayout.ADDRESS, 0));
    }

    /** hansa_fill(long long n, float value, float *x) */
    void fill(long n, float value, long x) {
        if (n > 0) {
            launch1d(fill, n, args.reset().i64(n).f32(value).ptr(x));
        }
    }

    /** hansa_scale_matrix(int rows, int cols, float beta, float *c, int ldc) */
    void scaleMatrix(int rows, int cols, float beta, long c, int ldc) {
        if ((long) rows * cols > 0) {
            launch1d(scaleMatrix, (long) rows * cols,
                    args.reset().i32(rows).i32(cols).f32(beta).ptr(c).i32(ldc));
        }
    }

    /** hansa_add_row_vector(int rows, int cols, float *m, const float *bias) */
    void addRowVector(int rows, int cols, long m, long bias) {
        if ((long) rows * cols > 0) {
            launch1d(addRowVector, (long) rows * cols,
                    args.reset().i32(rows).i32(cols).ptr(m).ptr(bias));
        }
    }

    /** hansa_column_sums(int rows, int cols, const float *m, float *out) */
    void columnSums(int rows, int cols, long m, long out) {
        if (cols > 0) {
            launch1d(columnSums, cols, args.reset().i32(rows).i32(cols).ptr(m).ptr(out));
        }
    }

    /** hansa_relu(long long n, float *x) */
    void relu(long n, long x) {
        if (n > 0) {
            launch1d(relu, n, args.reset().i64(n).ptr(x));
        }
    }

    /** hansa_relu_backward(long long n, const float *act, float *g) */
    void reluBackward(long n, long act, long g) {
        if (n > 0) {
            launch1d(reluBackward, n, args.reset().i64(n).ptr(act).ptr(g));
        }
    }

    /**
     * hansa_softmax_xent(int rows, int cols, const float *logits, const int *labels, float *grad, float *rowLoss),
     * one warp per row.
     */
    void softmaxXent(int rows, int cols, long logits, long labels, long grad, long rowLoss) {
        if (rows > 0) {
            int rowsPerBlock = BLOCK / 32;
            launch(softmaxXent, (rows + rowsPerBlock - 1) / rowsPerBlock, 1, BLOCK, 1,
                    args.reset().i32(rows).i32(cols).ptr(logits).ptr(labels).ptr(grad).ptr(rowLoss));
        }
    }

    /** hansa_sum_to_double(int n, const float *values, double *out), one block of exactly 256 threads. */
    void sumToDouble(int n, long values, long out) {
        launch(sumToDouble, 1, 1, 256, 1, args.reset().i32(n).ptr(values).ptr(out));
    }

    /** hansa_centre_block(int n, int d, int d0, int w, const float *x, const float *negMean, float *out) */
    void centreBlock(int n, int d, int d0, int w, long x, long negMean, long out) {
        if ((long) n * w > 0) {
            launch1d(centreBlock, (long) n * w,
                    args.reset().i32(n).i32(d).i32(d0).i32(w).ptr(x).ptr(negMean).ptr(out));
        }
    }

    /** hansa_gram_to_distances(int n, float *g) on 16 x 16 tiles, then hansa_zero_diagonal(int n, float *g). */
    void gramToDistances(int n, long g) {
        if (n > 0) {
            int tiles = (n + 15) / 16;
            launch(gramToDistances, tiles, tiles, 16, 16, args.reset().i32(n).ptr(g));
            launch1d(zeroDiagonal, n, args.reset().i32(n).ptr(g));
        }
    }

    /**
     * hansa_im2col(int channels, int batch, int height, int width, int kernel, const float *images, float *columns),
     * one thread per column entry.
     */
    void im2col(int channels, int batch, int height, int width, int kernel, long images, long columns) {
        long work = (long) channels * kernel * kernel * batch * (height - kernel + 1) * (width - kernel + 1);
        if (work > 0) {
            launch1d(im2col, work,
                    args.reset().i32(channels).i32(batch).i32(height).i32(width).i32(kernel).ptr(images).ptr(columns));
        }
    }

    /**
     * hansa_col2im(int channels, int batch, int height, int width, int kernel, const float *columns, float *images),
     * one thread per pixel.
     */
    void col2im(int channels, int batch, int height, int width, int kernel, long columns, long images) {
        long work = (long) channels * batch * height * width;
        if (work > 0) {
            launch1d(col2im, work,
                    args.reset().i32(channels).i32(batch).i32(height).i32(width).i32(kernel).ptr(columns).ptr(images));
        }
    }

    /** hansa_max_pool(int planes, int height, int width, const float *in, float *out), one thread per window. */
    void maxPool(int planes, int height, int width, long in, long out) {
        long work = (long) planes * (height / 2) * (width / 2);
        if (work > 0) {
            launch1d(maxPool, work, args.reset().i32(planes).i32(height).i32(width).ptr(in).ptr(out));
        }
    }

    /**
     * hansa_max_pool_backward(int planes, int height, int width, const float *in, const float *gradOut,
     * float *gradIn), one thread per input pixel.
     */
    void maxPoolBackward(int planes, int height, int width, long in, long gradOut, long gradIn) {
        long work = (long) planes * height * width;
        if (work > 0) {
            launch1d(maxPoolBackward, work,
                    args.reset().i32(planes).i32(height).i32(width).ptr(in).ptr(gradOut).ptr(gradIn));
        }
    }

    /** hansa_swap_axes(int a, int b, int block, const float *in, float *out), one thread per element. */
    void swapAxes(int a, int b, int block, long in, long out) {
        long work = (long) a * b * block;
        if (work > 0) {
            launch1d(swapAxes, work, args.reset().i32(a).i32(b).i32(block).ptr(in).ptr(out));
        }
    }

    private void launch1d(Kernel kernel, long work, KernelArgs a) {
        int blocks = (int) Math.min(maxBlocks, (work + BLOCK - 1) / BLOCK);
        launch(kernel, blocks, 1, BLOCK, 1, a);
    }

    private void launch(Kernel kernel, int gridX, int gridY, int blockX, int blockY, KernelArgs a) {
        if (!a.matches(kernel.signature)) {
            throw new IllegalStateException(kernel.name + " takes (" + kernel.signature + "), launched with ("
                    + a.kinds() + ")");
        }
        int status = cuda_h.cuLaunchKernel(kernel.function, gridX, gridY, 1, blockX, blockY, 1, 0, stream, a.array(),
                MemorySegment.NULL);
        if (status != 0) {
            Status.driver(status, "cuLaunchKernel(" + kernel.name + ", grid " + gridX + "x" + gridY + ", block "
                    + blockX + "x" + blockY + ")");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Status.driver(cuda_h.cuModuleUnload(module), "cuModuleUnload(" + PTX_RESOURCE + ")");
        }
    }
}
