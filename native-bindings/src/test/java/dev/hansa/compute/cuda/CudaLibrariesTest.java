package dev.hansa.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and loading on whatever this machine has: no GPU, a runtime without a driver, or everything. */
class CudaLibrariesTest {

    @Test
    void aMissingRuntimeSaysWhereItLookedAndWhatToDo(@TempDir Path empty) {
        var outcome = CudaLibraries.attempt(new LibrarySearch(List.of(empty)));
        assertNull(outcome.loaded());
        String reason = outcome.failure().getMessage();
        assertTrue(reason.startsWith("the CUDA runtime (libcudart.so.13|12|11) not found; searched " + empty), reason);
        assertTrue(reason.contains("CUDA_HOME"), reason);
    }

    @Test
    void theStandardSearchEitherLoadsEverythingOrExplainsWhatIsMissing() {
        var outcome = CudaLibraries.attempt(LibrarySearch.standard());
        if (outcome.loaded() != null) {
            assertTrue(outcome.loaded().deviceCount() > 0);
        } else {
            String reason = outcome.failure().getMessage();
            assertTrue(reason.contains("not found") || reason.contains("cudaGetDeviceCount")
                    || reason.contains("could not load"), reason);
        }
    }

    /** On a machine with the CUDA runtime (this one has CUDA 13 without a driver), call it through the bindings. */
    @Test
    void runtimeBindingsReturnIntsAndCStrings() {
        var cudart = LibrarySearch.standard().find("cudart", CudaLibraries.MAJORS);
        assumeTrue(cudart.isPresent(), "no CUDA runtime installed");
        CudaLibraries.attempt(LibrarySearch.standard()); // loads libcudart whatever happens next
        assumeTrue(CudaLibraries.runtimeLoaded);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment version = arena.allocate(ValueLayout.JAVA_INT);
            assertEquals(0, cuda_runtime_api_h.cudaRuntimeGetVersion(version));
            assertEquals(cudart.get().major(), version.get(ValueLayout.JAVA_INT, 0) / 1000);
        }
        assertEquals("cudaErrorMemoryAllocation", cuda_runtime_api_h.cudaGetErrorName(2).getString(0));
        assertEquals("out of memory", cuda_runtime_api_h.cudaGetErrorString(2).getString(0));
        CudaException e = assertThrows(CudaException.class, () -> Status.runtime(35, "cudaGetDeviceCount"));
        assertTrue(e.getMessage().startsWith("cudaGetDeviceCount failed: cudaErrorInsufficientDriver (35): CUDA driver"),
                e.getMessage());
    }
}
