package dev.hansa.compute.cuda;

/**
 * cuBLAS's {@code cublasStatus_t} values (cublas_api.h, unchanged from CUDA 11 to 13). Written by hand because the
 * header is not installed where the bindings were written; {@link #UNKNOWN} covers codes added later.
 */
public enum CublasStatus {
    CUBLAS_STATUS_SUCCESS(0),
    CUBLAS_STATUS_NOT_INITIALIZED(1),
    CUBLAS_STATUS_ALLOC_FAILED(3),
    CUBLAS_STATUS_INVALID_VALUE(7),
    CUBLAS_STATUS_ARCH_MISMATCH(8),
    CUBLAS_STATUS_MAPPING_ERROR(11),
    CUBLAS_STATUS_EXECUTION_FAILED(13),
    CUBLAS_STATUS_INTERNAL_ERROR(14),
    CUBLAS_STATUS_NOT_SUPPORTED(15),
    CUBLAS_STATUS_LICENSE_ERROR(16),
    /** A code missing from this table; {@link CudaException#code()} keeps the number. */
    UNKNOWN(Integer.MIN_VALUE);

    private final int code;

    CublasStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static CublasStatus of(int code) {
        for (CublasStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
