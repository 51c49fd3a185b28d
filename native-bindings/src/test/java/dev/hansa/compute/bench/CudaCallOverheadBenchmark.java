package dev.hansa.compute.bench;

import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;
import dev.hansa.compute.cuda.CudaBackend;
import dev.hansa.compute.cuda.CudaLibraries;
import dev.hansa.compute.cuda.bindings.cublas_api_h;
import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Host-side cost of one call, GPU only: a trivial runtime call and a one-element cuBLAS call straight through the
 * generated bindings (FFM downcall plus the library's own work), and the same cuBLAS work through
 * {@link CudaBackend} (plus its lock and checks). bin/cublas_call_overhead.c makes the same calls from C, so the
 * difference is what FFM adds. Calls are queued without waiting; each iteration ends with a device synchronise.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CudaCallOverheadBenchmark {

    private Arena arena;
    private MemorySegment handle;
    private MemorySegment alpha;
    private MemorySegment device;
    private CudaBackend backend;
    private FloatArray one;
    private FloatArray a;
    private FloatArray b;
    private FloatArray c;

    @Setup(Level.Trial)
    public void setUp() {
        CudaLibraries.load();
        backend = CudaBackend.create();
        one = backend.allocate(1);
        a = backend.allocate(64 * 64);
        b = backend.allocate(64 * 64);
        c = backend.allocate(64 * 64);
        arena = Arena.ofConfined();
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        check(cublas_api_h.cublasCreate_v2(out));
        handle = out.get(ValueLayout.ADDRESS, 0);
        check(cuda_runtime_api_h.cudaMalloc(out, 4));
        device = out.get(ValueLayout.ADDRESS, 0);
        alpha = arena.allocate(ValueLayout.JAVA_FLOAT);
        alpha.set(ValueLayout.JAVA_FLOAT, 0, 1f);
    }

    private static void check(int status) {
        if (status != 0) {
            throw new IllegalStateException("status " + status);
        }
    }

    /** FFM downcall to a trivial CUDA runtime function. */
    @Benchmark
    public int cudaGetLastErrorBinding() {
        return cuda_runtime_api_h.cudaGetLastError();
    }

    /** FFM downcall to cuBLAS: one kernel launch of x *= 1 on one float. */
    @Benchmark
    public int cublasSscalBinding() {
        return cublas_api_h.cublasSscal_v2(handle, 1, alpha, device, 1);
    }

    /** The same through the backend: lock, ownership and shape checks, then the downcall. */
    @Benchmark
    public void cudaBackendScal() {
        backend.scal(1f, one);
    }

    /** A small GEMM through the backend (64 x 64 x 64), the smallest product a trainer issues. */
    @Benchmark
    public void cudaBackendGemm64() {
        backend.gemm(Transpose.NO, Transpose.NO, 64, 64, 64, 1f, a, 64, b, 64, 0f, c, 64);
    }

    @TearDown(Level.Iteration)
    public void drain() {
        check(cuda_runtime_api_h.cudaDeviceSynchronize());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cuda_runtime_api_h.cudaFree(device);
        cublas_api_h.cublasDestroy_v2(handle);
        arena.close();
        for (FloatArray array : new FloatArray[] {one, a, b, c}) {
            array.close();
        }
        backend.close();
    }
}
