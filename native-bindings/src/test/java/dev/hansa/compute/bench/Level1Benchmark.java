package dev.hansa.compute.bench;

import dev.hansa.compute.CpuBackend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.JavaBackend;
import dev.hansa.compute.cpu.CpuKernelChoice;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * y += alpha x over n floats against a plain copy of n floats, in the same fork. Arrays far exceed the caches, so
 * these measure memory bandwidth: bin/bench counts 12 bytes per element for axpy (read x, read y, write y) and 8 for
 * the copy (read, write).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class Level1Benchmark {

    @Param({"10000000", "30000000", "100000000"})
    public int n;

    private CpuBackend cpu;
    private CpuBackend cpuOneThread;
    private JavaBackend java;
    private FloatArray x;
    private FloatArray y;
    private FloatArray xOne;
    private FloatArray yOne;
    private FloatArray xJava;
    private FloatArray yJava;
    private float[] src;
    private float[] dst;

    @Setup(Level.Trial)
    public void setUp() {
        cpu = new CpuBackend();
        cpuOneThread = new CpuBackend(CpuKernelChoice.best(), 1);
        java = new JavaBackend();
        x = cpu.allocate(n);
        y = cpu.allocate(n);
        xOne = cpuOneThread.allocate(n);
        yOne = cpuOneThread.allocate(n);
        xJava = java.allocate(n);
        yJava = java.allocate(n);
        cpu.fill(x, 1e-3f);
        cpuOneThread.fill(xOne, 1e-3f);
        java.fill(xJava, 1e-3f);
        src = new float[n];
        dst = new float[n];
    }

    /** CpuBackend.axpy: Vector API kernel, split over all threads. */
    @Benchmark
    public void axpyCpu() {
        cpu.axpy(0.5f, x, y);
    }

    /** The same kernel on one thread. */
    @Benchmark
    public void axpyCpuOneThread() {
        cpuOneThread.axpy(0.5f, xOne, yOne);
    }

    /** The scalar reference. */
    @Benchmark
    public void axpyJava() {
        java.axpy(0.5f, xJava, yJava);
    }

    /** The yardstick: System.arraycopy of the same number of floats. */
    @Benchmark
    public void arrayCopy() {
        System.arraycopy(src, 0, dst, 0, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cpu.close();
        cpuOneThread.close();
    }
}
