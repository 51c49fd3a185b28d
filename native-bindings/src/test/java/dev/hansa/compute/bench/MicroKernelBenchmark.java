package dev.hansa.compute.bench;

import dev.hansa.compute.cpu.CpuKernelChoice;
import dev.hansa.compute.cpu.CpuKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The GEMM micro-kernel alone, one thread, operands in L1: one call is an mr x nr tile over 256 steps, i.e.
 * 2 * mr * nr * 256 FLOP. Its GFLOP/s against one core's peak shows how close the inner loop gets; the gap to the
 * full SGEMM is packing, cache misses, edges and threading.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroKernelBenchmark {

    static final int KC = 256;

    private CpuKernels kernels;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = CpuKernelChoice.best();
        SplittableRandom r = new SplittableRandom(1);
        a = new float[kernels.mr() * KC];
        b = new float[kernels.nr() * KC];
        c = new float[kernels.mr() * kernels.nr()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble();
        }
    }

    /** Accumulates into C (beta 1), as every depth block after the first does. */
    @Benchmark
    public float[] tile() {
        kernels.microKernel(KC, a, 0, 1, kernels.mr(), b, 0, 1f, 1f, c, 0, kernels.nr());
        return c;
    }

    /** FLOP per call, for bin/bench. */
    public static long flops(CpuKernels kernels) {
        return 2L * kernels.mr() * kernels.nr() * KC;
    }
}
