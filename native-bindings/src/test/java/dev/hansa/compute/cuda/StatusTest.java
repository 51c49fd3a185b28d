package dev.hansa.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Status codes become exceptions that name the call, the symbolic error and the code; no GPU needed. */
class StatusTest {

    @Test
    void enumsMapTheHeaderValuesAndKeepUnknownCodes() {
        assertEquals(CudaError.cudaErrorMemoryAllocation, CudaError.of(2));
        assertEquals(CudaError.cudaErrorInsufficientDriver, CudaError.of(35));
        assertEquals(CudaError.cudaErrorNoDevice, CudaError.of(100));
        assertEquals(CudaError.UNKNOWN, CudaError.of(123_456));
        assertEquals(CuResult.CUDA_ERROR_NO_DEVICE, CuResult.of(100));
        assertEquals(CuResult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, CuResult.of(222));
        assertEquals(CublasStatus.CUBLAS_STATUS_INVALID_VALUE, CublasStatus.of(7));
        assertEquals(CublasStatus.CUBLAS_STATUS_EXECUTION_FAILED, CublasStatus.of(13));
        assertEquals(CublasStatus.UNKNOWN, CublasStatus.of(99));
    }

    @Test
    void successIsSilent() {
        Status.runtime(0, "cudaFree");
        Status.driver(0, "cuLaunchKernel");
        Status.cublas(0, "cublasSgemm_v2");
    }

    @Test
    void aCublasFailureNamesTheCallTheErrorAndTheCode() {
        CudaException e = assertThrows(CudaException.class,
                () -> Status.cublas(7, "cublasSgemm_v2(N, T, m=3, n=4, k=5, lda=1, ldb=4, ldc=3)"));
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", e.error());
        assertEquals(7, e.code());
        assertEquals("cublasSgemm_v2(N, T, m=3, n=4, k=5, lda=1, ldb=4, ldc=3)", e.call());
        assertTrue(e.getMessage().startsWith(
                "cublasSgemm_v2(N, T, m=3, n=4, k=5, lda=1, ldb=4, ldc=3) failed: CUBLAS_STATUS_INVALID_VALUE (7)"),
                e.getMessage());
    }

    @Test
    void aDriverFailureWithAnUnknownCodeStillReportsTheNumber() {
        CudaException e = assertThrows(CudaException.class, () -> Status.driver(4242, "cuModuleLoadData(x.ptx)"));
        assertEquals("CUresult 4242", e.error());
        assertTrue(e.getMessage().startsWith("cuModuleLoadData(x.ptx) failed: CUresult 4242 (4242)"), e.getMessage());
    }

    @Test
    void aRuntimeFailureUsesTheEnumName() {
        CudaException e = assertThrows(CudaException.class, () -> Status.runtime(2, "cudaMalloc(1024 bytes)"));
        assertEquals("cudaErrorMemoryAllocation", e.error());
        assertTrue(e.getMessage().startsWith("cudaMalloc(1024 bytes) failed: cudaErrorMemoryAllocation (2)"),
                e.getMessage());
    }
}
