package dev.hansa.compute.cpu;

/**
 * The fold of FedAvg-type aggregation: {@code sum[i] += w * (double) x[i]}, a float update added with its weight to a
 * running sum kept in double, so that the rounding that depends on the order updates arrive in stays far below
 * float precision.
 *
 * <p>Each element gets exactly the bits of that scalar statement (one multiply, one add, both rounded to double; Java
 * never fuses them), however the array is split: arrays of at least {@link #PARALLEL_MIN_ELEMENTS} floats are cut
 * into contiguous index ranges that the pool's threads take in turn, and an element's sum is its own sequence of
 * adds. So an aggregate is the same for any number of threads, and the server's fold matches the simulator's bit for
 * bit.
 *
 * <p>The loop is the plain statement on purpose: C2 compiles it to 512-bit convert-multiply-add vectors, and on Zen 4
 * it folded 10^6-float updates from memory at 15 GB/s on one core where three Vector API formulations reached 6 to
 * 14 GB/s. What is left to gain is memory parallelism, hence the split. Ranges are several per thread and taken
 * dynamically ({@link WorkerPool#run}: the caller runs every part no worker has started), so a thread descheduled
 * on a busy machine delays the fold by one range, not by half of it.
 */
public final class WeightedSum {

    /** Below this many elements one thread finishes before a hand-off to a second one would pay off. */
    public static final int PARALLEL_MIN_ELEMENTS = 1 << 18;
    /** Ranges per thread: enough for the other threads to absorb a slow one. */
    private static final int RANGES_PER_THREAD = 4;
    /** Range bounds are multiples of this many elements, so threads never write the same cache line of the sum. */
    private static final int ALIGN = 64;

    private final WorkerPool pool;
    private final int minPerRange;

    /** Folds on the given pool's threads, splitting arrays of {@link #PARALLEL_MIN_ELEMENTS} or more. */
    public WeightedSum(WorkerPool pool) {
        this(pool, PARALLEL_MIN_ELEMENTS / RANGES_PER_THREAD);
    }

    /** As above with another range size: tests split small arrays to check that splitting changes no bit. */
    WeightedSum(WorkerPool pool, int minPerRange) {
        if (minPerRange < 1) {
            throw new IllegalArgumentException("minPerRange must be >= 1: " + minPerRange);
        }
        this.pool = pool;
        this.minPerRange = minPerRange;
    }

    /**
     * A pool of one thread per available processor, shared by the process; its worker threads are daemons, started
     * on the first split.
     */
    public static WeightedSum shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final WeightedSum INSTANCE = new WeightedSum(new WorkerPool(Runtime.getRuntime().availableProcessors()));
    }

    /** {@code sum[i] += weight * (double) x[i]} for every i; the arrays must have the same length. */
    public void add(double[] sum, double weight, float[] x) {
        if (sum.length != x.length) {
            throw new IllegalArgumentException("sum has length " + sum.length + " but x has length " + x.length);
        }
        int n = x.length;
        int ranges = pool.parallelism() == 1 ? 1
                : (int) Math.min((long) pool.parallelism() * RANGES_PER_THREAD, Math.max(1, n / minPerRange));
        if (ranges <= 1) {
            fold(sum, weight, x, 0, n);
            return;
        }
        int chunk = (n / ranges + ALIGN - 1) / ALIGN * ALIGN;
        pool.run(ranges, r -> {
            int from = Math.min(n, r * chunk), to = r == ranges - 1 ? n : Math.min(n, from + chunk);
            fold(sum, weight, x, from, to);
        });
    }

    private static void fold(double[] sum, double weight, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            sum[i] += weight * x[i];
        }
    }
}
