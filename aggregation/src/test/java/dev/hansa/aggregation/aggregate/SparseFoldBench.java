package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.RandKCodec;
import dev.hansa.aggregation.update.codec.SparseLoCoCodec;
import dev.hansa.aggregation.update.codec.TopKCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * What the server pays to decode and fold one sparse update of d = 10^6 parameters (a 1000 x 1000 tensor) into a
 * running weighted sum: held sparse ({@link dev.hansa.aggregation.tensor.SparseEntries#foldInto}) against expanded to
 * d floats first and folded dense, as the server did before. A command, not a test:
 * {@code java -cp aggregation/target/classes:aggregation/target/test-classes:<classpath>
 * dev.hansa.aggregation.aggregate.SparseFoldBench [repeats]}. Per codec and path it prints the median (min-max) time
 * of decode + fold over the repeats (after 3 warm-up repeats), and the bytes the thread allocated for one of them
 * ({@code com.sun.management.ThreadMXBean}; the accumulator's double sum, the same for both, is allocated before).
 */
public final class SparseFoldBench {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {1000, 1000}));

    private SparseFoldBench() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        Map<String, UpdateCodec> codecs = new LinkedHashMap<>();
        codecs.put("topk (k = 1%)", new TopKCodec(0.01));
        codecs.put("randk (k = 1%)", new RandKCodec(0.01).forParticipant(1));
        codecs.put("sparseloco (64, 128)", new SparseLoCoCodec(64, 128));
        Random r = new Random(1);
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 1e-3);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.println("| codec | path | decode + fold ms | bytes allocated |");
        System.out.println("|---|---|---|---|");
        for (var e : codecs.entrySet()) {
            byte[] frame = e.getValue().encode(new Tensors(SPEC, v), Map.of("num_samples", "1"));
            double[] sum = new double[SPEC.parameterCount()];
            for (boolean sparse : new boolean[] {false, true}) {
                long[] times = new long[repeats];
                long allocated = 0;
                for (int rep = -3; rep < repeats; rep++) {
                    StreamingAggregator.Accumulator acc = new WeightedMean().start(SPEC);
                    long bytes = threads.getCurrentThreadAllocatedBytes();
                    long t0 = System.nanoTime();
                    Tensors decoded = e.getValue().decode(MemorySegment.ofArray(frame), SPEC).values();
                    acc.add(sparse ? decoded : new Tensors(SPEC, decoded.values()), 1.5);
                    acc.sum();
                    long t1 = System.nanoTime();
                    if (rep >= 0) {
                        times[rep] = t1 - t0;
                        allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
                    }
                    sum[rep & 0xff] += acc.sum()[rep & 0xff];
                }
                Arrays.sort(times);
                System.out.printf("| %s | %s | %.2f (%.2f-%.2f) | %d |%n", e.getKey(), sparse ? "sparse" : "expanded",
                        times[repeats / 2] / 1e6, times[0] / 1e6, times[repeats - 1] / 1e6, allocated);
            }
            System.out.print(sum[0] == 42 ? "" : "");
        }
    }
}
