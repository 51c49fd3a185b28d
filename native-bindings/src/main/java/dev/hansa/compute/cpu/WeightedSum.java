package dev.hansa.compute.cpu;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fold of FedAvg-type aggregation: {@code sum[i] += w * (double) x[i]}, a float update added with its weight to a
 * running sum kept in double, so that the rounding that depends on the order updates arrive in stays far below
 * float precision.
 *
 * <p>Each element gets exactly the bits of that scalar statement (one multiply, one add, both rounded to double; Java
 * never fuses them), however the array is split: arrays of at least {@link #PARALLEL_MIN_ELEMENTS} floats are cut
 * into blocks that the pool's threads take one at a time, and an element's sum is its own sequence of adds. So an
 * aggregate is the same for any number of threads, and the server's fold matches the simulator's bit for bit.
 *
 * <p>The loop is the plain statement on purpose: C2 compiles it to 512-bit convert-multiply-add vectors, and on Zen 4
 * it folded 10^6-float updates from memory at 15 GB/s on one core where three Vector API formulations reached 6 to
 * 14 GB/s. What is left to gain is memory parallelism, hence the split. Blocks are small (a few microseconds of
 * work) and taken from a shared counter, and the caller starts at once: when the other cores are busy, the caller
 * folds nearly everything itself, and a worker descheduled in the middle of a block delays the fold by that block
 * only. (Halves, or a few ranges per thread, made the fold slower than one thread whenever a second core was busy.)
 * Past that, the double sum's traffic bounds the fold, so a caller that has several updates folds them in one pass.
 */
public final class WeightedSum {

    /** Below this many elements one thread finishes before a hand-off to a second one would pay off. */
    public static final int PARALLEL_MIN_ELEMENTS = 1 << 18;
    /** Updates folded per pass over the sum by {@link #add(double[], double[], float[][])}. */
    public static final int GROUP = 4;
    /** Elements per block: a multiple of 64, so threads never write the same cache line of the sum. */
    private static final int BLOCK = 1 << 14;

    private final WorkerPool pool;
    private final int minToSplit;
    private final int block;

    /** Folds on the given pool's threads, splitting arrays of {@link #PARALLEL_MIN_ELEMENTS} or more. */
    public WeightedSum(WorkerPool pool) {
        this(pool, PARALLEL_MIN_ELEMENTS, BLOCK);
    }

    /** As above with another threshold and block size: tests split small arrays to check that it changes no bit. */
    WeightedSum(WorkerPool pool, int minToSplit, int block) {
        if (minToSplit < 1 || block < 1) {
            throw new IllegalArgumentException("minToSplit and block must be >= 1: " + minToSplit + ", " + block);
        }
        this.pool = pool;
        this.minToSplit = minToSplit;
        this.block = block;
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
        add(sum, new double[] {weight}, new float[][] {x});
    }

    /**
     * {@link #add(double[], double, float[])} for each {@code (weights[k], xs[k])} in turn, in one pass over the sum:
     * {@code sum[i] = ((sum[i] + w0 x0[i]) + w1 x1[i]) + ...}, the same additions in the same order, so the same bits
     * as one call per update, with the double sum read and written once per {@value #GROUP} updates instead of once
     * per update (the fold's memory traffic per element and update drops from 20 bytes to 8).
     */
    public void add(double[] sum, double[] weights, float[][] xs) {
        if (weights.length != xs.length) {
            throw new IllegalArgumentException(weights.length + " weights for " + xs.length + " updates");
        }
        for (float[] x : xs) {
            if (sum.length != x.length) {
                throw new IllegalArgumentException("sum has length " + sum.length + " but x has length " + x.length);
            }
        }
        int n = sum.length;
        if (pool.parallelism() == 1 || n < minToSplit || n <= block) {
            fold(sum, weights, xs, 0, n);
            return;
        }
        int blocks = (n + block - 1) / block;
        AtomicInteger next = new AtomicInteger();
        pool.run(pool.parallelism(), part -> {
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                fold(sum, weights, xs, b * block, Math.min(n, (b + 1) * block));
            }
        });
    }

    /** The updates over {@code [from, to)}, four per pass while four are left. */
    private static void fold(double[] sum, double[] w, float[][] x, int from, int to) {
        int k = 0;
        for (; k + GROUP <= x.length; k += GROUP) {
            fold(sum, w[k], x[k], w[k + 1], x[k + 1], w[k + 2], x[k + 2], w[k + 3], x[k + 3], from, to);
        }
        for (; k < x.length; k++) {
            fold(sum, w[k], x[k], from, to);
        }
    }

    private static void fold(double[] sum, double w0, float[] x0, double w1, float[] x1, double w2, float[] x2,
                             double w3, float[] x3, int from, int to) {
        for (int i = from; i < to; i++) {
            sum[i] = (((sum[i] + w0 * x0[i]) + w1 * x1[i]) + w2 * x2[i]) + w3 * x3[i];
        }
    }

    private static void fold(double[] sum, double weight, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            sum[i] += weight * x[i];
        }
    }
}
