package dev.hansa.compute.cuda;

import dev.hansa.compute.cuda.bindings.cublas_api_h;
import dev.hansa.compute.cuda.bindings.cuda_h;
import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntFunction;

/**
 * Turns status codes into {@link CudaException}s: every binding call in this package goes through one of the
 * {@code check} methods. Symbolic names come from the enums; descriptions from the libraries themselves, falling back
 * to nothing if a library cannot say (so that a broken install still produces the original error).
 */
final class Status {

    private Status() {
    }

    /** Checks a CUDA runtime status ({@code cudaError_t}). */
    static void runtime(int code, String call) {
        if (code != 0) {
            throw runtimeError(code, call);
        }
    }

    static CudaException runtimeError(int code, String call) {
        CudaError known = CudaError.of(code);
        boolean ask = CudaLibraries.runtimeLoaded;
        String name = known != CudaError.UNKNOWN ? known.name()
                : describe(ask, c -> cuda_runtime_api_h.cudaGetErrorName(c), code, "cudaError " + code);
        return new CudaException(call, name, code, describe(ask, c -> cuda_runtime_api_h.cudaGetErrorString(c), code, ""));
    }

    /** Checks a CUDA driver API status ({@code CUresult}). */
    static void driver(int code, String call) {
        if (code != 0) {
            CuResult known = CuResult.of(code);
            String name = known != CuResult.UNKNOWN ? known.name() : "CUresult " + code;
            throw new CudaException(call, name, code, CudaLibraries.driverLoaded ? driverDescription(code) : "");
        }
    }

    private static String driverDescription(int code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            return cuda_h.cuGetErrorString(code, out) == 0 ? out.get(cuda_h.C_POINTER, 0).getString(0) : "";
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }

    /** Checks a cuBLAS status ({@code cublasStatus_t}). */
    static void cublas(int code, String call) {
        if (code != 0) {
            CublasStatus known = CublasStatus.of(code);
            String name = known != CublasStatus.UNKNOWN ? known.name() : "cublasStatus " + code;
            throw new CudaException(call, name, code,
                    describe(CudaLibraries.cublasLoaded, c -> cublas_api_h.cublasGetStatusString(c), code, ""));
        }
    }

    /** A C string from the library, or {@code fallback} when the library is not loaded or cannot be asked. */
    private static String describe(boolean loaded, IntFunction<MemorySegment> lookup, int code, String fallback) {
        if (!loaded) {
            return fallback;
        }
        try {
            MemorySegment text = lookup.apply(code);
            return text.equals(MemorySegment.NULL) ? fallback : text.getString(0);
        } catch (RuntimeException | LinkageError e) {
            return fallback;
        }
    }
}
