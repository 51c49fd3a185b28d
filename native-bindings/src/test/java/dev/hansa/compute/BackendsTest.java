package dev.hansa.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.compute.cuda.CudaBackend;
import dev.hansa.compute.cuda.CudaLibraries;
import dev.hansa.compute.cuda.CudaUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {

    private static boolean cudaUsable() {
        try {
            CudaLibraries.load();
            return true;
        } catch (CudaUnavailableException e) {
            return false;
        }
    }

    @Test
    void autoTakesCudaWhenUsableAndOtherwiseTheCpuWithTheReason() {
        Backends.Choice choice = Backends.choose("auto");
        try (Backend backend = choice.backend()) {
            if (cudaUsable()) {
                assertInstanceOf(CudaBackend.class, backend);
                assertTrue(choice.reason().contains("a CUDA device and cuBLAS were found"), choice.reason());
            } else {
                assertInstanceOf(CpuBackend.class, backend);
                assertTrue(choice.reason().contains("HANSA_BACKEND=auto; CUDA unavailable: "), choice.reason());
                assertTrue(choice.reason().startsWith("Vector API"), choice.reason());
            }
        }
    }

    @Test
    void explicitSettingsInsistOnTheirBackend() {
        try (Backend cpu = Backends.choose("cpu").backend(); Backend java = Backends.choose("java").backend()) {
            assertEquals("cpu", cpu.name());
            assertEquals("java", java.name());
        }
        if (!cudaUsable()) {
            CudaUnavailableException e = assertThrows(CudaUnavailableException.class, () -> Backends.choose("cuda"));
            assertTrue(!e.getMessage().isBlank());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.choose("tpu"));
        assertTrue(e.getMessage().contains("use auto, cuda, cpu or java"), e.getMessage());
    }

    @Test
    void theCallerSizesTheCpuBackendsThreads() {
        try (Backend one = Backends.choose("cpu", 1).backend(); Backend three = Backends.choose("cpu", 3).backend()) {
            assertTrue(((CpuBackend) one).description().endsWith(", 1 thread"), ((CpuBackend) one).description());
            assertTrue(((CpuBackend) three).description().endsWith(", 3 threads"), ((CpuBackend) three).description());
        }
        assertThrows(IllegalArgumentException.class, () -> Backends.choose("cpu", 0));
    }

    @Test
    void theSystemPropertyOverridesTheEnvironment() {
        String old = System.getProperty(Backends.PROPERTY);
        try {
            System.setProperty(Backends.PROPERTY, " Java ");
            assertEquals("java", Backends.setting());
            try (Backend backend = Backends.fromEnvironment()) {
                assertEquals("java", backend.name());
            }
        } finally {
            if (old == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }

    /** Without --add-modules jdk.incubator.vector the CPU backend still loads and runs, on the scalar kernels. */
    @Test
    void withoutTheVectorModuleTheCpuBackendFallsBackToScalarKernels() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ScalarFallbackProbe.class.getName())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("kernels: scalar Java loops"), output);
        assertTrue(output.contains("--add-modules jdk.incubator.vector"), output);
        assertTrue(output.contains("gemm ok"), output);
    }
}
