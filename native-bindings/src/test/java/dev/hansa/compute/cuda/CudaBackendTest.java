package dev.hansa.compute.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hansa.compute.Backend;
import dev.hansa.compute.BackendContract;
import dev.hansa.compute.CpuBackend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The backend contract and the resource rules on a real GPU. Tagged {@code gpu} and skipped (not failed) where no
 * device, driver or cuBLAS is found; {@code native-bindings/bin/gpu-check} runs them on a GPU machine.
 */
@Tag("gpu")
class CudaBackendTest {

    private static CudaBackend backend;
    private static String unavailable;

    @BeforeAll
    static void open() {
        var outcome = CudaLibraries.attempt(LibrarySearch.standard());
        if (outcome.loaded() == null) {
            unavailable = outcome.failure().getMessage();
            return;
        }
        backend = CudaBackend.create();
        System.out.println("CUDA backend under test: " + backend.description());
    }

    /** Skips (rather than fails) every test here, nested ones included, where CUDA cannot run. */
    @BeforeEach
    void requireCuda() {
        assumeTrue(backend != null, () -> unavailable);
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Contract implements BackendContract {
        @Override
        public Backend backend() {
            return backend;
        }
    }

    @Test
    void arraysAreFreedExactlyOnceAndDeviceMemoryReturns() {
        long bytes = backend.allocatedBytes();
        int open = backend.openArrays();
        long freeBefore = backend.deviceMemory()[0];
        for (int i = 0; i < 64; i++) {
            FloatArray a = backend.allocate(1 << 22); // 16 MiB
            a.slice(5, 10).close(); // a view: frees nothing
            a.close();
            a.close();
        }
        assertEquals(bytes, backend.allocatedBytes());
        assertEquals(open, backend.openArrays());
        long drift = Math.abs(backend.deviceMemory()[0] - freeBefore);
        assertTrue(drift < (64L << 20), "free device memory moved by " + drift + " bytes after 1 GiB of churn");
        FloatArray closed = backend.allocate(4);
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, closed::toHost);
        assertTrue(e.getMessage().contains("already freed"), e.getMessage());
    }

    @Test
    void closingABackendFreesArraysLeftOpenAndRefusesFurtherWork() {
        CudaBackend own = CudaBackend.create();
        FloatArray leaked = own.allocate(1 << 20);
        own.upload(new float[] {1, 2, 3});
        double loss = own.softmaxCrossEntropy(1, 3, leaked.slice(0, 3), new int[] {0}, leaked.slice(3, 3));
        assertEquals(Math.log(3), loss, 1e-6);
        assertEquals(2, own.openArrays(), "the loss scratch is not counted as the caller's");
        own.close();
        own.close();
        assertEquals(0, own.openArrays());
        assertEquals(0, own.allocatedBytes());
        leaked.close(); // already freed by the backend: no second cudaFree
        assertThrows(IllegalStateException.class, () -> own.allocate(1));
        assertThrows(IllegalStateException.class, leaked::toHost);
    }

    @Test
    void arraysNobodyClosedAreFreedOnceUnreachable() throws InterruptedException {
        int open = backend.openArrays();
        for (int i = 0; i < 16; i++) {
            backend.allocate(1 << 16);
        }
        assertEquals(open + 16, backend.openArrays());
        for (int i = 0; i < 100 && backend.openArrays() > open; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(open, backend.openArrays());
    }

    @Test
    void anImpossibleAllocationNamesTheCallAndTheError() {
        CudaException e = assertThrows(CudaException.class, () -> backend.allocate(1L << 50));
        assertEquals("cudaErrorMemoryAllocation", e.error());
        assertTrue(e.getMessage().startsWith("cudaMalloc(" + (4L << 50) + " bytes) failed: cudaErrorMemoryAllocation (2)"),
                e.getMessage());
    }

    @Test
    void tf32GemmsStayWithinTf32Accuracy() {
        int n = 512;
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[n * n], b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        try (CudaBackend tf32 = CudaBackend.create(0, true);
             FloatArray da = tf32.upload(a); FloatArray db = tf32.upload(b); FloatArray dc = tf32.allocate((long) n * n)) {
            assertTrue(tf32.description().contains("TF32"), tf32.description());
            tf32.gemm(Transpose.NO, Transpose.YES, n, n, n, 1, da, n, db, n, 0, dc, n);
            float[] c = dc.toHost();
            for (int i = 0; i < n; i += 37) {
                for (int j = 0; j < n; j += 41) {
                    double sum = 0, abs = 0;
                    for (int p = 0; p < n; p++) {
                        sum += (double) a[i * n + p] * b[j * n + p];
                        abs += Math.abs((double) a[i * n + p] * b[j * n + p]);
                    }
                    assertTrue(Math.abs(c[i * n + j] - sum) <= 4 * 0x1p-11 * abs, "C[" + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    void aTrainingStepMatchesTheCpuBackend() {
        // forward: H = relu(X W1^T + b1); logits = H W2^T + b2; backward as DenseNetwork does it.
        int batch = 64, in = 784, hidden = 200, classes = 10;
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[batch * in], w1 = new float[hidden * in], w2 = new float[classes * hidden];
        float[] b1 = new float[hidden], b2 = new float[classes];
        for (float[] t : new float[][] {x, w1, w2, b1, b2}) {
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) (r.nextDouble() - 0.5) * 0.2f;
            }
        }
        int[] labels = r.ints(batch, 0, classes).toArray();
        try (CpuBackend cpu = new CpuBackend()) {
            float[][] want = step(cpu, x, w1, b1, w2, b2, labels, batch, in, hidden, classes);
            float[][] got = step(backend, x, w1, b1, w2, b2, labels, batch, in, hidden, classes);
            assertEquals(want[0][0], got[0][0], 1e-5 * Math.abs(want[0][0]), "loss");
            for (int t = 1; t < want.length; t++) {
                float scale = 0;
                for (float v : want[t]) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < want[t].length; i++) {
                    assertEquals(want[t][i], got[t][i], 1e-4 * scale, "gradient " + t + " at " + i);
                }
            }
        }
    }

    /** Loss, dW1, db1, dW2, db2 of one step on {@code be}. */
    private static float[][] step(Backend be, float[] x, float[] w1, float[] b1, float[] w2, float[] b2, int[] labels,
                                  int batch, int in, int hidden, int classes) {
        try (FloatArray dx = be.upload(x); FloatArray dw1 = be.upload(w1); FloatArray db1 = be.upload(b1);
             FloatArray dw2 = be.upload(w2); FloatArray db2 = be.upload(b2);
             FloatArray h = be.allocate((long) batch * hidden); FloatArray logits = be.allocate((long) batch * classes);
             FloatArray g1 = be.allocate((long) hidden * in); FloatArray gb1 = be.allocate(hidden);
             FloatArray g2 = be.allocate((long) classes * hidden); FloatArray gb2 = be.allocate(classes);
             FloatArray dh = be.allocate((long) batch * hidden)) {
            be.gemm(Transpose.NO, Transpose.YES, batch, hidden, in, 1, dx, in, dw1, in, 0, h, hidden);
            be.addRowVector(batch, hidden, h, db1);
            be.relu(h);
            be.gemm(Transpose.NO, Transpose.YES, batch, classes, hidden, 1, h, hidden, dw2, hidden, 0, logits, classes);
            be.addRowVector(batch, classes, logits, db2);
            float loss = (float) (be.softmaxCrossEntropy(batch, classes, logits, labels, logits) / batch);
            be.scal(1f / batch, logits);
            be.gemm(Transpose.YES, Transpose.NO, classes, hidden, batch, 1, logits, classes, h, hidden, 0, g2, hidden);
            be.columnSums(batch, classes, logits, gb2);
            be.gemm(Transpose.NO, Transpose.NO, batch, hidden, classes, 1, logits, classes, dw2, hidden, 0, dh, hidden);
            be.reluBackward(h, dh);
            be.gemm(Transpose.YES, Transpose.NO, hidden, in, batch, 1, dh, hidden, dx, in, 0, g1, in);
            be.columnSums(batch, hidden, dh, gb1);
            return new float[][] {{loss}, g1.toHost(), gb1.toHost(), g2.toHost(), gb2.toHost()};
        }
    }
}
