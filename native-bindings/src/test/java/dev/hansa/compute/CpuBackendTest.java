package dev.hansa.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.compute.cpu.CpuKernelChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The contract for both kernel flavours; thread counts that do not divide the work evenly exercise the splits. */
class CpuBackendTest {

    @Test
    void theVectorKernelsAreChosenWhenTheModuleIsPresent() {
        // Surefire runs with --add-modules jdk.incubator.vector (see the parent pom).
        assertTrue(CpuKernelChoice.best().description().startsWith("Vector API"), CpuKernelChoice.best().description());
        assertEquals("jdk.incubator.vector is available", CpuKernelChoice.reason());
    }

    @Test
    void closingStopsTheWorkersButLeavesTheBackendUsable() {
        CpuBackend backend = new CpuBackend(CpuKernelChoice.best(), 3);
        backend.close();
        backend.close();
        try (FloatArray a = backend.upload(new float[] {1, 2, 3, 4}); FloatArray c = backend.allocate(4)) {
            backend.gemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2);
            assertEquals(7f, c.toHost()[0]);
        }
    }

    @Test
    void workerThreadsAreDaemonsSoTheyNeverHoldTheJvmOpen() throws Exception {
        try (CpuBackend backend = new CpuBackend(CpuKernelChoice.best(), 2);
             FloatArray a = backend.allocate(512 * 512); FloatArray c = backend.allocate(512 * 512)) {
            backend.gemm(Transpose.NO, Transpose.NO, 512, 512, 512, 1, a, 512, a, 512, 0, c, 512);
            boolean sawWorker = false;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("hansa-cpu-")) {
                    sawWorker = true;
                    assertTrue(t.isDaemon(), t.getName() + " is not a daemon");
                }
            }
            assertTrue(sawWorker, "a 512^3 product should have used a worker thread");
        }
    }

    @Test
    void reductionsRepeatBitForBitWhileTheJitCompilesThem() {
        float[] x = new float[1000];
        float[] y = new float[1000];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
            y[i] = (float) random.nextGaussian();
        }
        try (CpuBackend backend = new CpuBackend(CpuKernelChoice.best(), 1);
             FloatArray a = backend.upload(x); FloatArray b = backend.upload(y)) {
            float dot = backend.dot(a, b);
            float norm = backend.nrm2(a);
            // Enough calls for the interpreter, C1 and C2 versions of the kernels to each take a turn.
            for (int call = 0; call < 50_000; call++) {
                assertEquals(Float.floatToRawIntBits(dot), Float.floatToRawIntBits(backend.dot(a, b)), "dot, call " + call);
                assertEquals(Float.floatToRawIntBits(norm), Float.floatToRawIntBits(backend.nrm2(a)), "nrm2, call " + call);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class VectorKernels implements BackendContract {
        private final CpuBackend backend = new CpuBackend(CpuKernelChoice.best(), 3);

        @Override
        public Backend backend() {
            return backend;
        }

        @AfterAll
        void close() {
            backend.close();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ScalarKernels implements BackendContract {
        private final CpuBackend backend = new CpuBackend(CpuKernelChoice.scalar(), 2);

        @Override
        public Backend backend() {
            return backend;
        }

        @AfterAll
        void close() {
            backend.close();
        }
    }
}
