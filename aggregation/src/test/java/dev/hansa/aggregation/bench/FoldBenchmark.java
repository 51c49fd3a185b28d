package dev.hansa.aggregation.bench;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.Update;
import dev.hansa.compute.cpu.WeightedSum;
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
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The server's FedAvg fold timed on given inputs, for aggregation/bin/fold-bench: a fresh {@link RoundAggregation}
 * of the default pipeline (the weighted mean, weights the sample counts) per fold, every update added as the server
 * adds an admitted one, then the mean, as a round's close computes it. The admission checks (finiteness, norm) are
 * validation of the upload, not the fold, and stay out, as Flower's deserialisation does. With {@code scalar}, the same fold as the plain loop {@code sum[i] += w * v[i]} the
 * aggregator ran before WeightedSum, for a before/after figure from the same process. With {@code single}, the
 * same kernel one update per pass (split across cores), as the mean folded before it held updates back to fold
 * {@value WeightedSum#GROUP} per pass over the sum. With {@code read}, no fold: every update only read, one thread per
 * core, the memory's ceiling for any fold of the same input (its "checksum" is the sum of all inputs, not a mean).
 *
 * <p>Usage: {@code FoldBenchmark hansa|single|scalar|read UPDATES.f32 SAMPLES.txt SIZE WARMUP FOLDS}; UPDATES.f32 holds the
 * updates one after another as little-endian float32, SAMPLES.txt one sample count per line. Prints one JSON line:
 * the seconds of each timed fold and the sum of the mean (to check that both sides computed the same thing).
 */
public final class FoldBenchmark {

    private static final AggregationPipeline PIPELINE =
            new AggregationPipeline(AggregationPipeline.Settings.DEFAULT, UpdateWeighting.SAMPLES);
    private static final String ROLE = "participant";
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private FoldBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6 || !List.of("hansa", "single", "scalar", "read").contains(args[0])) {
            throw new IllegalArgumentException(
                    "usage: FoldBenchmark hansa|single|scalar|read UPDATES.f32 SAMPLES.txt SIZE WARMUP FOLDS");
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
                case "single" -> singleFold(spec, updates);
                case "read" -> readAll(updates);
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

    /** WeightedSum one update per pass, as the mean folded before it held updates back to fold several at once. */
    private static double[] singleFold(ModelSpec spec, List<Update> updates) {
        double[] sum = new double[spec.parameterCount()];
        double total = 0;
        for (Update u : updates) {
            double w = u.numSamples();
            WeightedSum.shared().add(sum, w, u.values().values());
            total += w;
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= total;
        }
        return sum;
    }

    /** Reads every input once, vectorised, the updates dealt round-robin to one thread per core; no sum is written. */
    private static double[] readAll(List<Update> updates) {
        int threads = Runtime.getRuntime().availableProcessors();
        double[] perThread = new double[threads];
        IntStream.range(0, threads).parallel().forEach(t -> {
            FloatVector acc = FloatVector.zero(FLOATS);
            for (int u = t; u < updates.size(); u += threads) {
                float[] v = updates.get(u).values().values();
                int i = 0;
                for (; i <= v.length - FLOATS.length(); i += FLOATS.length()) {
                    acc = acc.add(FloatVector.fromArray(FLOATS, v, i));
                }
                for (; i < v.length; i++) {
                    perThread[t] += v[i];
                }
            }
            perThread[t] += acc.reduceLanes(VectorOperators.ADD);
        });
        return perThread;
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
