package dev.hansa.aggregation.bench;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.Update;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's FedAvg fold timed on given inputs, for aggregation/bin/fold-bench: a fresh {@link RoundAggregation}
 * of the default pipeline (the weighted mean, weights the sample counts) per fold, every update added as the server
 * adds an admitted one, then the mean, as a round's close computes it. The admission checks (finiteness, norm) are
 * validation of the upload, not the fold, and stay out, as Flower's deserialisation does. With {@code scalar}, the same fold as the plain loop {@code sum[i] += w * v[i]} the
 * aggregator ran before WeightedSum, for a before/after figure from the same process. With {@code pairs}, a
 * prototype of what an aggregator that held one update back could do: two updates per pass over the sum, one
 * thread, the same additions in the same order (so the same bits), half the traffic of the double sum.
 *
 * <p>Usage: {@code FoldBenchmark hansa|scalar|pairs UPDATES.f32 SAMPLES.txt SIZE WARMUP FOLDS}; UPDATES.f32 holds the
 * updates one after another as little-endian float32, SAMPLES.txt one sample count per line. Prints one JSON line:
 * the seconds of each timed fold and the sum of the mean (to check that both sides computed the same thing).
 */
public final class FoldBenchmark {

    private static final AggregationPipeline PIPELINE =
            new AggregationPipeline(AggregationPipeline.Settings.DEFAULT, UpdateWeighting.SAMPLES);
    private static final String ROLE = "participant";

    private FoldBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6 || !List.of("hansa", "scalar", "pairs").contains(args[0])) {
            throw new IllegalArgumentException(
                    "usage: FoldBenchmark hansa|scalar|pairs UPDATES.f32 SAMPLES.txt SIZE WARMUP FOLDS");
        }
        String side = args[0];
        int size = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int folds = Integer.parseInt(args[5]);
        List<Long> samples = Files.readAllLines(Path.of(args[2])).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
        ModelSpec spec = new ModelSpec(List.of(new TensorSpec("update", new int[] {size})));
        List<Update> updates = read(Path.of(args[1]), spec, samples);
        double checksum = 0;
        List<Double> seconds = new ArrayList<>();
        for (int f = 0; f < warmup + folds; f++) {
            long start = System.nanoTime();
            double[] mean = switch (side) {
                case "scalar" -> scalarFold(spec, updates);
                case "pairs" -> pairFold(spec, updates);
                default -> fold(spec, updates);
            };
            long elapsed = System.nanoTime() - start;
            if (f >= warmup) {
                seconds.add(elapsed / 1e9);
            }
            checksum = 0;
            for (double v : mean) {
                checksum += v;
            }
        }
        System.out.println(String.format(Locale.ROOT, "{\"seconds\": %s, \"checksum\": %.17g}", seconds, checksum));
    }

    private static double[] fold(ModelSpec spec, List<Update> updates) {
        RoundAggregation round = PIPELINE.start(spec, 0);
        for (Update u : updates) {
            round.add(new AggregationPipeline.Admitted(u, UpdateWeighting.SAMPLES.weight(u.numSamples()), Double.NaN,
                    Double.NaN));
        }
        return round.result().role(ROLE).orElseThrow().mean();
    }

    /** The aggregator's arithmetic before the kernel: the same weights, sum and division, as plain loops. */
    private static double[] scalarFold(ModelSpec spec, List<Update> updates) {
        double[] sum = new double[spec.parameterCount()];
        double total = 0;
        for (Update u : updates) {
            double w = u.numSamples();
            float[] v = u.values().values();
            for (int i = 0; i < v.length; i++) {
                sum[i] += w * v[i];
            }
            total += w;
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= total;
        }
        return sum;
    }

    /** Two updates per pass: sum[i] = (sum[i] + w1 x1[i]) + w2 x2[i], the order one-at-a-time folding adds them in. */
    private static double[] pairFold(ModelSpec spec, List<Update> updates) {
        double[] sum = new double[spec.parameterCount()];
        double total = 0;
        for (int u = 0; u < updates.size(); u += 2) {
            Update first = updates.get(u);
            double w1 = first.numSamples();
            float[] x1 = first.values().values();
            total += w1;
            if (u + 1 == updates.size()) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += w1 * x1[i];
                }
                break;
            }
            double w2 = updates.get(u + 1).numSamples();
            float[] x2 = updates.get(u + 1).values().values();
            total += w2;
            for (int i = 0; i < sum.length; i++) {
                sum[i] = (sum[i] + w1 * x1[i]) + w2 * x2[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= total;
        }
        return sum;
    }

    private static List<Update> read(Path file, ModelSpec spec, List<Long> samples) throws IOException {
        int size = spec.parameterCount();
        List<Update> updates = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != (long) samples.size() * size * Float.BYTES) {
                throw new IllegalArgumentException(file + " holds " + channel.size() + " bytes, expected "
                        + samples.size() + " updates of " + size + " floats");
            }
            for (int u = 0; u < samples.size(); u++) {
                FloatBuffer floats = channel.map(FileChannel.MapMode.READ_ONLY, (long) u * size * Float.BYTES,
                        (long) size * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float[] values = new float[size];
                floats.get(values);
                updates.add(new Update("client-" + u, ROLE, new Tensors(spec, values), samples.get(u), Map.of()));
            }
        }
        return updates;
    }
}
