package dev.hansa.aggregation.bench;

import dev.hansa.aggregation.aggregate.Aggregator;
import dev.hansa.aggregation.aggregate.ForwardingBatch;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One robust rule timed on given updates, for aggregation/bin/robust-bench: the rule as a federation config names it
 * ({@link Aggregators}, parameters at their defaults, the given f), aggregating a fresh batch of the updates per run
 * (so Krum-type rules compute the Gram matrix each time), all updates of weight 1. Besides the rule's seconds it
 * records, per run, the seconds spent computing the batch's {@link RowGeometry} and, within that, in the Gram GEMM
 * calls (the geometry is computed on the backend {@link Backends#fromEnvironment()} picks, {@code HANSA_BACKEND},
 * through a proxy that times its {@code gemm}).
 *
 * <p>Usage: {@code RobustBenchmark RULE F UPDATES.f32 COUNT SIZE WARMUP RUNS}; UPDATES.f32 holds COUNT updates of
 * SIZE little-endian float32 values one after another. Prints one JSON line: {@code seconds}, {@code geometry},
 * {@code gemm} (lists over the timed runs) and {@code checksum}, the sum of the output's absolute values.
 */
public final class RobustBenchmark {

    private RobustBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            throw new IllegalArgumentException("usage: RobustBenchmark RULE F UPDATES.f32 COUNT SIZE WARMUP RUNS");
        }
        WholeRoundAggregator rule = (WholeRoundAggregator) Aggregators.aggregator(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        int runs = Integer.parseInt(args[6]);
        List<float[]> rows = read(Path.of(args[2]), count, size);
        double[] weights = new double[count];
        Arrays.fill(weights, 1);
        TimedGemm timed = new TimedGemm(Backends.fromEnvironment());
        List<Double> seconds = new ArrayList<>();
        List<Double> geometry = new ArrayList<>();
        List<Double> gemm = new ArrayList<>();
        double checksum = 0;
        for (int r = 0; r < warmup + runs; r++) {
            TimedBatch batch = new TimedBatch(new HeapBatch(rows, weights, size), timed.backend());
            timed.nanos = 0;
            long start = System.nanoTime();
            double[] out = rule.aggregate(batch);
            long elapsed = System.nanoTime() - start;
            if (r >= warmup) {
                seconds.add(elapsed / 1e9);
                geometry.add(batch.geometryNanos / 1e9);
                gemm.add(timed.nanos / 1e9);
            }
            checksum = Arrays.stream(out).map(Math::abs).sum();
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"seconds\": %s, \"geometry\": %s, \"gemm\": %s, \"checksum\": %.17g, \"rule\": %s, "
                        + "\"backend\": \"%s\", \"cpus\": %d}", seconds, geometry, gemm, checksum, json(rule),
                timed.delegate.name(), Runtime.getRuntime().availableProcessors()));
    }

    private static String json(Aggregator rule) {
        return "{\"name\": \"" + rule.name() + "\", \"params\": {" + rule.params().entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue()).collect(Collectors.joining(", ")) + "}}";
    }

    /** A backend that adds the wall time of its {@code gemm} calls to {@link #nanos}. */
    private static final class TimedGemm {
        final Backend delegate;
        long nanos;

        TimedGemm(Backend delegate) {
            this.delegate = delegate;
        }

        Backend backend() {
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, method, args) -> {
                        long start = System.nanoTime();
                        try {
                            return method.invoke(delegate, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            if (method.getName().equals("gemm")) {
                                nanos += System.nanoTime() - start;
                            }
                        }
                    });
        }
    }

    /** A heap batch whose geometry is computed on a given backend, and timed. */
    private static final class TimedBatch extends ForwardingBatch {
        private final Backend backend;
        private RowGeometry geometry;
        long geometryNanos;

        TimedBatch(HeapBatch rows, Backend backend) {
            super(rows);
            this.backend = backend;
        }

        @Override
        public RowGeometry geometry() {
            if (geometry == null) {
                long start = System.nanoTime();
                geometry = RowGeometry.of(this, backend);
                geometryNanos = System.nanoTime() - start;
            }
            return geometry;
        }
    }

    private static List<float[]> read(Path file, int count, int size) throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != (long) count * size * Float.BYTES) {
                throw new IllegalArgumentException(file + " holds " + channel.size() + " bytes, expected " + count
                        + " updates of " + size + " floats");
            }
            for (int u = 0; u < count; u++) {
                FloatBuffer floats = channel.map(FileChannel.MapMode.READ_ONLY, (long) u * size * Float.BYTES,
                        (long) size * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float[] values = new float[size];
                floats.get(values);
                rows.add(values);
            }
        }
        return rows;
    }
}
