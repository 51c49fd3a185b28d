package dev.hansa.compute.cpu;

/**
 * The fold of FedAvg-type aggregation: {@code sum[i] += w * (double) x[i]}, a float update added with its weight to a
 * running sum kept in double, so that the rounding that depends on the order updates arrive in stays far below
 * float precision.
 *
 * <p>Each element gets exactly the bits of that scalar statement (one multiply, one add, both rounded to double, no
 * fused multiply-add), whatever the kernels and however the array is split: arrays of at least
 * {@link #PARALLEL_MIN_ELEMENTS} floats are cut into one contiguous index range per thread, and an element's sum is
 * its own sequence of adds. So an aggregate is the same for any number of threads, and the server's fold matches the
 * simulator's bit for bit. The work is memory-bound (4 bytes read per element, the double sum mostly from cache),
 * which is why it is vectorised and split across cores rather than left to the JIT's scalar loop.
 */
public final class WeightedSum {

    /** Below this many elements one thread finishes before a hand-off to a second one would pay off. */
    public static final int PARALLEL_MIN_ELEMENTS = 1 << 18;
    /** Split points are multiples of this many elements, so threads never write the same cache line of the sum. */
    private static final int ALIGN = 64;

    private final CpuKernels kernels;
    private final WorkerPool pool;
    private final int minPerPart;

    /** The given kernels on the given pool's threads, splitting arrays of {@link #PARALLEL_MIN_ELEMENTS} or more. */
    public WeightedSum(CpuKernels kernels, WorkerPool pool) {
        this(kernels, pool, PARALLEL_MIN_ELEMENTS);
    }

    /** As above with another split threshold: tests split small arrays to check that splitting changes no bit. */
    WeightedSum(CpuKernels kernels, WorkerPool pool, int minPerPart) {
        if (minPerPart < 1) {
            throw new IllegalArgumentException("minPerPart must be >= 1: " + minPerPart);
        }
        this.kernels = kernels;
        this.pool = pool;
        this.minPerPart = minPerPart;
    }

    /**
     * The best kernels of this JVM ({@link CpuKernelChoice#best()}) on a pool of one thread per available processor,
     * shared by the process; its worker threads are daemons, started on the first split.
     */
    public static WeightedSum shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final WeightedSum INSTANCE = new WeightedSum(CpuKernelChoice.best(),
                new WorkerPool(Runtime.getRuntime().availableProcessors()));
    }

    /** {@code sum[i] += weight * (double) x[i]} for every i; the arrays must have the same length. */
    public void add(double[] sum, double weight, float[] x) {
        if (sum.length != x.length) {
            throw new IllegalArgumentException("sum has length " + sum.length + " but x has length " + x.length);
        }
        int n = x.length;
        int parts = (int) Math.min(pool.parallelism(), Math.max(1, n / minPerPart));
        if (parts <= 1) {
            kernels.addScaledToDouble(n, weight, x, 0, sum, 0);
            return;
        }
        int chunk = (n / parts + ALIGN - 1) / ALIGN * ALIGN;
        pool.run(parts, part -> {
            int from = Math.min(n, part * chunk), to = part == parts - 1 ? n : Math.min(n, from + chunk);
            kernels.addScaledToDouble(to - from, weight, x, from, sum, from);
        });
    }
}
