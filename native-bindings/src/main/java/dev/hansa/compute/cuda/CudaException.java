package dev.hansa.compute.cuda;

/**
 * A CUDA runtime, driver or cuBLAS call returned an error. The message names the call (with its key arguments), the
 * symbolic error and the library's own description, e.g. {@code cudaMalloc(4294967296 bytes) failed:
 * cudaErrorMemoryAllocation (2): out of memory}. Errors of asynchronous work surface at the next synchronising call,
 * which is then the call named.
 */
public final class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final String error;
    private final int code;

    CudaException(String call, String error, int code, String description) {
        super(call + " failed: " + error + " (" + code + ")" + (description.isEmpty() ? "" : ": " + description));
        this.call = call;
        this.error = error;
        this.code = code;
    }

    /** The failing call, e.g. {@code cublasSgemm_v2(T, N, m=1024, n=256, k=784)}. */
    public String call() {
        return call;
    }

    /** The symbolic error name, e.g. {@code CUBLAS_STATUS_INVALID_VALUE}. */
    public String error() {
        return error;
    }

    /** The numeric status the call returned. */
    public int code() {
        return code;
    }
}
