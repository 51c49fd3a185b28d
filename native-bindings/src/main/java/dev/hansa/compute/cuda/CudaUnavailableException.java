package dev.hansa.compute.cuda;

/** CUDA cannot be used on this machine; the message says what is missing and where it was looked for. */
public final class CudaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String reason) {
        super(reason);
    }

    CudaUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
