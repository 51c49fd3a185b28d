package dev.hansa.compute;

import dev.hansa.compute.cpu.CpuKernelChoice;

/** Run in a child JVM without jdk.incubator.vector by {@link BackendsTest}: prints what the CPU backend chose. */
public final class ScalarFallbackProbe {

    private ScalarFallbackProbe() {
    }

    public static void main(String[] args) {
        try (CpuBackend backend = new CpuBackend(); FloatArray a = backend.upload(new float[] {1, 2, 3, 4});
             FloatArray c = backend.allocate(4)) {
            System.out.println("kernels: " + CpuKernelChoice.best().description() + " because " + CpuKernelChoice.reason());
            backend.gemm(Transpose.NO, Transpose.NO, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2);
            float[] out = c.toHost();
            System.out.println(out[0] == 7 && out[3] == 22 ? "gemm ok" : "gemm wrong");
        }
    }
}
