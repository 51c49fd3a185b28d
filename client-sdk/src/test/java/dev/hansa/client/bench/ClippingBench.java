package dev.hansa.client.bench;

import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.client.training.PerExampleClipping;
import dev.hansa.client.training.PerExampleObjective;
import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import dev.hansa.compute.FloatArray;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Naive versus ghost per-example clipping for one DP-SGD step of the MLP (784-200-10, 159,010 parameters) at batch
 * 64, 128 and 256, with the non-private batch gradient as the yardstick: time of the clipped sum (the only part of the
 * step in which the two differ; noise and update are the same), median (min-max) over the repeats after 3 warm-ups,
 * the three interleaved in each repeat with the order alternating; heap allocated by the first step of a fresh model
 * (its workspace, the naive path's batch x parameters per-example gradients included; after a warm-up on batch 32
 * that compiled every path) and by a later step (row views, labels, the kernels' packing buffers); and the
 * two results' relative L2 distance. The CPU backend runs on one thread, the fairest figure on a shared machine.
 * Usage: {@code ClippingBench [repeats]} (default 11).
 */
public final class ClippingBench {

    private static final int[] BATCHES = {64, 128, 256};
    private static final double CLIP = 1.0;

    private ClippingBench() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        DenseNetwork net = DenseNetwork.mlp(784, new int[] {200}, 10);
        Dataset data = randomData(1024, 784, 10);
        Tensors weights = net.initialize(1);
        Backend backend = Backends.choose("cpu", 1).backend();
        System.out.printf(Locale.ROOT, "MLP 784-200-10 (%d parameters), clip %.1f, backend %s (1 thread), %d repeats%n%n",
                net.spec().parameterCount(), CLIP, backend.name(), repeats);
        System.out.println("| batch | non-private ms | naive ms | ghost ms | naive / ghost | first step heap MB, "
                + "naive / ghost | later step heap KB, naive / ghost | naive vs ghost (rel. L2) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        try (FloatArray params = backend.upload(weights.values())) {
            warmUp(net, data, backend, params);
            for (int batch : BATCHES) {
                int[] rows = new SplittableRandom(batch).ints(batch, 0, data.size()).toArray();
                Step plain = new Step(net.bind(data, backend), backend, params, rows, null);
                Step naive = new Step(net.bind(data, backend), backend, params, rows, PerExampleClipping.NAIVE);
                Step ghost = new Step(net.bind(data, backend), backend, params, rows, PerExampleClipping.GHOST);
                Step[] steps = {plain, naive, ghost};
                long[][] nanos = new long[3][repeats];
                for (int rep = -3; rep < repeats; rep++) {
                    for (int k = 0; k < 3; k++) {
                        int which = rep % 2 == 0 ? k : 2 - k;
                        long t = steps[which].run();
                        if (rep >= 0) {
                            nanos[which][rep] = t;
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %.2f | %.1f / %.1f | %.1f / %.1f | %.2e |%n",
                        batch, spread(nanos[0]), spread(nanos[1]), spread(nanos[2]),
                        median(nanos[1]) / median(nanos[2]), naive.firstBytes / 1e6, ghost.firstBytes / 1e6,
                        naive.laterBytes / 1e3, ghost.laterBytes / 1e3, distance(naive.result(), ghost.result()));
                for (Step s : steps) {
                    s.close();
                }
            }
        }
        backend.close();
    }

    /** Compiles the paths (JIT, class loading) on batch 32 first, so that the first-step heap is the workspace's. */
    private static void warmUp(DenseNetwork net, Dataset data, Backend backend, FloatArray params) {
        int[] rows = new SplittableRandom(32).ints(32, 0, data.size()).toArray();
        for (PerExampleClipping mode : new PerExampleClipping[] {null, PerExampleClipping.NAIVE,
                PerExampleClipping.GHOST}) {
            try (Step step = new Step(net.bind(data, backend), backend, params, rows, mode)) {
                for (int i = 0; i < 20; i++) {
                    step.run();
                }
            }
        }
    }

    /** One objective's step, timed; a null mode is the non-private mean gradient. */
    private static final class Step implements AutoCloseable {
        private final PerExampleObjective objective;
        private final FloatArray params;
        private final int[] rows;
        private final PerExampleClipping mode;
        private final FloatArray out;
        private final Backend backend;
        private long firstBytes = -1;
        private long laterBytes;

        Step(PerExampleObjective objective, Backend backend, FloatArray params, int[] rows, PerExampleClipping mode) {
            this.objective = objective;
            this.backend = backend;
            this.params = params;
            this.rows = rows;
            this.mode = mode;
            this.out = backend.allocate(params.length());
        }

        long run() {
            long bytes = allocatedBytes();
            long start = System.nanoTime();
            if (mode == null) {
                objective.lossAndGradient(params, rows, out);
            } else {
                objective.clippedGradientSum(params, rows, CLIP, mode, out);
            }
            backend.synchronize();
            long elapsed = System.nanoTime() - start;
            bytes = allocatedBytes() - bytes;
            if (firstBytes < 0) {
                firstBytes = bytes;
            } else {
                laterBytes = bytes;
            }
            return elapsed;
        }

        float[] result() {
            return out.toHost();
        }

        @Override
        public void close() {
            out.close();
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static Dataset randomData(int n, int features, int classes) {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new Dataset(x, y, features, classes);
    }

    private static double distance(float[] a, float[] b) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
            ref += (double) a[i] * a[i];
        }
        return Math.sqrt(diff / ref);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static String spread(long[] values) {
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(values) / 1e6,
                Arrays.stream(values).min().orElseThrow() / 1e6, Arrays.stream(values).max().orElseThrow() / 1e6);
    }
}
