package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Encode and decode time of every codec for one update of d = 10^6 parameters (a 1000 x 1000 tensor), as ratios to a
 * plain copy of the d float32 values ({@code System.arraycopy}), a command, not a test:
 * {@code java -cp aggregation/target/classes:aggregation/target/test-classes:<classpath>
 * dev.hansa.aggregation.update.codec.CodecBench [repeats]}. Each repeat times one copy, one encode and one decode of
 * every codec in turn (after 3 warm-up repeats); it prints the median and the min-max over the repeats.
 */
public final class CodecBench {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {1000, 1000}));

    private CodecBench() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        Map<String, UpdateCodec> codecs = new LinkedHashMap<>();
        codecs.put("dense", new DenseCodec());
        codecs.put("bf16", new Bf16Codec());
        codecs.put("fp16", new Fp16Codec());
        codecs.put("sign", new SignCodec());
        codecs.put("qsgd (s = 4, bucket 512)", new QsgdCodec(4, 512).forParticipant(1));
        codecs.put("e3m0 (bucket 512)", new E3m0Codec(512));
        codecs.put("sparseloco (64, 128)", new SparseLoCoCodec(64, 128));
        codecs.put("topk (k = 1%)", new TopKCodec(0.01));
        codecs.put("randk (k = 1%)", new RandKCodec(0.01).forParticipant(1));
        codecs.put("countsketch (5 x 20000, k = 1%)", new CountSketchCodec(0.01, 5, 20_000).forParticipant(1));
        Random r = new Random(1);
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 1e-3);
        }
        Tensors update = new Tensors(SPEC, v);
        float[] copy = new float[v.length];
        long[] copies = new long[repeats];
        Map<String, long[][]> times = new LinkedHashMap<>();
        codecs.keySet().forEach(name -> times.put(name, new long[2][repeats]));
        long sink = 0;
        for (int rep = -3; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            System.arraycopy(v, 0, copy, 0, v.length);
            long t1 = System.nanoTime();
            sink += Float.floatToRawIntBits(copy[rep & 0xff]);
            if (rep >= 0) {
                copies[rep] = t1 - t0;
            }
            for (var e : codecs.entrySet()) {
                long a = System.nanoTime();
                byte[] bytes = e.getValue().encode(update, Map.of("num_samples", "1"));
                long b = System.nanoTime();
                float[] back = e.getValue().decode(MemorySegment.ofArray(bytes), SPEC).values().values();
                long c = System.nanoTime();
                sink += bytes.length + Float.floatToRawIntBits(back[rep & 0xff]);
                if (rep >= 0) {
                    times.get(e.getKey())[0][rep] = b - a;
                    times.get(e.getKey())[1][rep] = c - b;
                }
            }
        }
        double copyMedian = median(copies);
        System.out.printf("d = 10^6, %d repeats; plain copy of d float32: median %.3f ms (%.3f-%.3f)%n%n", repeats,
                copyMedian / 1e6, Arrays.stream(copies).min().orElseThrow() / 1e6,
                Arrays.stream(copies).max().orElseThrow() / 1e6);
        System.out.println("| codec | bytes | encode ms | encode / copy | decode ms | decode / copy |");
        System.out.println("|---|---|---|---|---|---|");
        for (var e : codecs.entrySet()) {
            long[][] t = times.get(e.getKey());
            long size = e.getValue().encode(update, Map.of("num_samples", "1")).length;
            System.out.printf("| %s | %d | %s | %.1f | %s | %.1f |%n", e.getKey(), size, spread(t[0]),
                    median(t[0]) / copyMedian, spread(t[1]), median(t[1]) / copyMedian);
        }
        System.out.println(sink == 42 ? "" : "(sink " + (sink & 1) + ")");
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static String spread(long[] values) {
        return String.format("%.2f (%.2f-%.2f)", median(values) / 1e6,
                Arrays.stream(values).min().orElseThrow() / 1e6, Arrays.stream(values).max().orElseThrow() / 1e6);
    }
}
