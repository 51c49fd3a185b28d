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

    @Test
    void gemmGivesTheSameBitsForAnyNumberOfThreads() {
        // The simulator's reproducibility for any --threads rests on this. Shapes cover every route through Sgemm:
        // in-place and packed A, computed transposed (narrow output, NT with m < n), split by rows and by columns.
        int[][] shapes = {{32, 200, 784}, {200, 784, 32}, {1000, 200, 784}, {32, 10, 200}, {13, 1025, 300}, {365, 66, 70}};
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        CpuBackend[] backends = {new CpuBackend(CpuKernelChoice.best(), 1), new CpuBackend(CpuKernelChoice.best(), 2),
                new CpuBackend(CpuKernelChoice.best(), 3)};
        try {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    Transpose ta = (t & 1) != 0 ? Transpose.YES : Transpose.NO;
                    Transpose tb = (t & 2) != 0 ? Transpose.YES : Transpose.NO;
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                    for (float[] x : new float[][] {a, b, c}) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) random.nextGaussian();
                        }
                    }
                    float[] first = null;
                    for (CpuBackend be : backends) {
                        try (FloatArray da = be.upload(a); FloatArray db = be.upload(b); FloatArray dc = be.upload(c)) {
                            be.gemm(ta, tb, m, n, k, 0.75f, da, ta.transposed() ? m : k, db, tb.transposed() ? k : n,
                                    0.5f, dc, n);
                            float[] out = dc.toHost();
                            if (first == null) {
                                first = out;
                            } else {
                                for (int i = 0; i < out.length; i++) {
                                    assertEquals(Float.floatToRawIntBits(first[i]), Float.floatToRawIntBits(out[i]),
                                            ta + "" + tb + " " + m + "x" + n + "x" + k + " at " + i + ", "
                                                    + be.description());
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            for (CpuBackend be : backends) {
                be.close();
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
