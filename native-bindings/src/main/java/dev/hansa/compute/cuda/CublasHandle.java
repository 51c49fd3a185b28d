package dev.hansa.compute.cuda;

import dev.hansa.compute.cuda.bindings.cublas_api_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A cuBLAS handle bound to the context's stream, in host pointer mode: alpha and beta are read from a small native
 * buffer before each call returns, and dot/nrm2 results are written there (those calls block until the result is
 * ready). Destroyed exactly once by {@link #close()}. Callers hold the context's lock.
 */
final class CublasHandle implements AutoCloseable {

    private final MemorySegment handle;
    private final MemorySegment alpha;
    private final MemorySegment beta;
    private final MemorySegment result;
    private final int version;
    private boolean closed;

    CublasHandle(Arena arena, MemorySegment stream, boolean tf32) {
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        Status.cublas(cublas_api_h.cublasCreate_v2(out), "cublasCreate_v2");
        this.handle = out.get(ValueLayout.ADDRESS, 0);
        this.alpha = arena.allocate(ValueLayout.JAVA_FLOAT);
        this.beta = arena.allocate(ValueLayout.JAVA_FLOAT);
        this.result = arena.allocate(ValueLayout.JAVA_FLOAT);
        try {
            Status.cublas(cublas_api_h.cublasSetStream_v2(handle, stream), "cublasSetStream_v2");
            Status.cublas(cublas_api_h.cublasSetPointerMode_v2(handle, cublas_api_h.CUBLAS_POINTER_MODE_HOST()),
                    "cublasSetPointerMode_v2(HOST)");
            int mode = tf32 ? cublas_api_h.CUBLAS_TF32_TENSOR_OP_MATH() : cublas_api_h.CUBLAS_DEFAULT_MATH();
            Status.cublas(cublas_api_h.cublasSetMathMode(handle, mode), "cublasSetMathMode(" + (tf32 ? "TF32" : "DEFAULT") + ")");
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            Status.cublas(cublas_api_h.cublasGetVersion_v2(handle, v), "cublasGetVersion_v2");
            this.version = v.get(ValueLayout.JAVA_INT, 0);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** cuBLAS version as major * 10000 + minor * 100 + patch. */
    int version() {
        return version;
    }

    /** Column-major C = alpha op(A) op(B) + beta C, as cublasSgemm_v2 takes it. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float a, long pa, int lda, long pb, int ldb,
               float b, long pc, int ldc) {
        alpha.set(ValueLayout.JAVA_FLOAT, 0, a);
        beta.set(ValueLayout.JAVA_FLOAT, 0, b);
        int status = cublas_api_h.cublasSgemm_v2(handle, op(transA), op(transB), m, n, k, alpha,
                MemorySegment.ofAddress(pa), lda, MemorySegment.ofAddress(pb), ldb, beta, MemorySegment.ofAddress(pc), ldc);
        if (status != 0) {
            Status.cublas(status, "cublasSgemm_v2(" + name(transA) + ", " + name(transB) + ", m=" + m + ", n=" + n
                    + ", k=" + k + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ")");
        }
    }

    /** Column-major y = alpha op(A) x + beta y with A m x n, unit strides. */
    void sgemv(boolean trans, int m, int n, float a, long pa, int lda, long px, float b, long py) {
        alpha.set(ValueLayout.JAVA_FLOAT, 0, a);
        beta.set(ValueLayout.JAVA_FLOAT, 0, b);
        int status = cublas_api_h.cublasSgemv_v2(handle, op(trans), m, n, alpha, MemorySegment.ofAddress(pa), lda,
                MemorySegment.ofAddress(px), 1, beta, MemorySegment.ofAddress(py), 1);
        if (status != 0) {
            Status.cublas(status, "cublasSgemv_v2(" + name(trans) + ", m=" + m + ", n=" + n + ", lda=" + lda + ")");
        }
    }

    void saxpy(int n, float a, long px, long py) {
        alpha.set(ValueLayout.JAVA_FLOAT, 0, a);
        int status = cublas_api_h.cublasSaxpy_v2(handle, n, alpha, MemorySegment.ofAddress(px), 1,
                MemorySegment.ofAddress(py), 1);
        if (status != 0) {
            Status.cublas(status, "cublasSaxpy_v2(n=" + n + ")");
        }
    }

    float sdot(int n, long px, long py) {
        int status = cublas_api_h.cublasSdot_v2(handle, n, MemorySegment.ofAddress(px), 1, MemorySegment.ofAddress(py), 1,
                result);
        if (status != 0) {
            Status.cublas(status, "cublasSdot_v2(n=" + n + ")");
        }
        return result.get(ValueLayout.JAVA_FLOAT, 0);
    }

    float snrm2(int n, long px) {
        int status = cublas_api_h.cublasSnrm2_v2(handle, n, MemorySegment.ofAddress(px), 1, result);
        if (status != 0) {
            Status.cublas(status, "cublasSnrm2_v2(n=" + n + ")");
        }
        return result.get(ValueLayout.JAVA_FLOAT, 0);
    }

    void sscal(int n, float a, long px) {
        alpha.set(ValueLayout.JAVA_FLOAT, 0, a);
        int status = cublas_api_h.cublasSscal_v2(handle, n, alpha, MemorySegment.ofAddress(px), 1);
        if (status != 0) {
            Status.cublas(status, "cublasSscal_v2(n=" + n + ")");
        }
    }

    private static int op(boolean transposed) {
        return transposed ? cublas_api_h.CUBLAS_OP_T() : cublas_api_h.CUBLAS_OP_N();
    }

    private static String name(boolean transposed) {
        return transposed ? "T" : "N";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Status.cublas(cublas_api_h.cublasDestroy_v2(handle), "cublasDestroy_v2");
        }
    }
}
