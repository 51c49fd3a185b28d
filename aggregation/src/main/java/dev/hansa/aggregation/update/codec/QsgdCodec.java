package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.random.Philox;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * {@value #NAME}: QSGD stochastic quantisation (Alistarh, Grubic, Li, Tomioka, Vojnovic, "QSGD: Communication-Efficient
 * SGD via Gradient Quantization and Encoding", NeurIPS 2017) to {@code s} levels per bucket: each tensor is cut into
 * buckets of {@code update.params.bucket} consecutive values (the last one of a tensor may be shorter), each bucket
 * sends its L2 norm n as float32 (rounded up, so that {@code |v| <= n}), and each value v one signed level
 * {@code sign(v) l} with {@code l} in 0..s: with {@code r = |v| s / n}, {@code l = floor(r) + 1} with probability
 * {@code r - floor(r)}, else {@code floor(r)}, so E[decoded] = v (unbiased; the probability is resolved to 2^-32)
 * and {@code E||Q(v) - v||^2 <= min(d/s^2, sqrt(d)/s) ||v||^2} per bucket of d values. The decision for the value at
 * flat index i uses word i of the Philox stream {@code (plan seed, }{@value #STREAM_HEX}{@code )}: rounds up iff
 * {@code word < (r - floor(r)) 2^32} as unsigned, so encoding is a function of the values and the participant's seed,
 * and {@link #reconstruct} equals what the server decodes. Levels travel as the code {@code s + sign(v) l} in the
 * fewest bits that hold 0..2s. With L-GreCo each tensor may have its own s ({@link #perTensor}), its codes then in
 * its own width. Frame: docs/protocol.md.
 */
public final class QsgdCodec implements UpdateCodec {

    public static final String NAME = "qsgd";
    /** The Philox stream id of the rounding decisions: "qsgd" in ASCII. */
    public static final long STREAM = 0x71736764L;
    static final String STREAM_HEX = "0x71736764";
    public static final int MAX_LEVELS = 32767;
    static final int DEFAULT_BUCKET = 512;

    private final int levels;
    private final int bucket;
    private final Map<String, Integer> perTensor;
    private final Long seed;

    /** QSGD with {@code levels} levels (s) per sign and buckets of {@code bucket} values; not yet bound to a seed. */
    public QsgdCodec(int levels, int bucket) {
        this(levels, bucket, Map.of(), null);
    }

    private QsgdCodec(int levels, int bucket, Map<String, Integer> perTensor, Long seed) {
        checkLevels("update.params.levels", levels);
        if (bucket < 1) {
            throw new IllegalArgumentException("update.params.bucket must be >= 1, got " + bucket);
        }
        perTensor.forEach((name, s) -> checkLevels("update.tensorKnob." + name, s));
        this.levels = levels;
        this.bucket = bucket;
        this.perTensor = Map.copyOf(perTensor);
        this.seed = seed;
    }

    /**
     * Levels tensor by tensor (L-GreCo's per-layer setting): tensor t's values take {@code perTensor.get(t)} levels
     * where the map names it, else {@code levels}, each in the code width its own level count needs. The frame is
     * the same; only the width of each tensor's codes differs.
     *
     * @throws IllegalArgumentException naming {@code update.tensorKnob.<tensor>} for a level count out of range
     */
    public static QsgdCodec perTensor(int levels, int bucket, Map<String, Integer> perTensor) {
        return new QsgdCodec(levels, bucket, perTensor, null);
    }

    private static void checkLevels(String field, int levels) {
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException(field + " must be qsgd's levels, an integer in [1, " + MAX_LEVELS
                    + "], got " + levels);
        }
    }

    /** The bits of one code for s levels as the frame packs it: the fewest that hold 0..2s. */
    public static int width(int levels) {
        return BitPacking.width(2L * levels);
    }

    /**
     * The expected squared error {@code E||Q(x) - x||^2} of quantising {@code v[from, to)} as one bucket to s levels,
     * in closed form: the norm n is the bucket's as the encoder takes it (float32, rounded up), and a value with
     * {@code r = |v| s / n} and {@code p = r - floor(r)} decodes to {@code n floor(r) / s} with probability 1 - p and
     * to {@code n (floor(r) + 1) / s} with probability p, so its squared error's expectation is
     * {@code (n / s)^2 p (1 - p)}; summed over the bucket in double. The decoded value's rounding to float32 and the
     * decision's resolution of 2^-32 are not modelled.
     */
    public static double expectedSquaredError(float[] v, int from, int to, int levels) {
        double n = bucketNorm(v, from, to);
        if (n == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            double r = Math.abs((double) v[i]) * levels / n;
            double p = r - Math.floor(r);
            sum += p * (1 - p);
        }
        return n / levels * (n / levels) * sum;
    }

    /** From {@code update.params}: {@code levels} (required) and {@code bucket} (default {@value #DEFAULT_BUCKET}). */
    static QsgdCodec of(Hyperparameters params) {
        if (!params.has("levels")) {
            throw new IllegalArgumentException(params.field("levels") + " is required for qsgd: the levels s per"
                    + " sign, an integer in [1, " + MAX_LEVELS + "]");
        }
        int levels = (int) params.integer("levels", 0, 1, MAX_LEVELS);
        int bucket = (int) params.integer("bucket", DEFAULT_BUCKET, 1, Integer.MAX_VALUE);
        return new QsgdCodec(levels, bucket);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean lossless() {
        return false;
    }

    @Override
    public UpdateCodec forParticipant(long participantSeed) {
        return new QsgdCodec(levels, bucket, perTensor, participantSeed);
    }

    /** The levels of each bucket, in the spec's order of buckets ({@link Buckets}). */
    private int[] bucketLevels(ModelSpec spec) {
        int[] out = new int[buckets(spec)];
        int b = 0;
        for (TensorSpec t : spec.tensors()) {
            int s = perTensor.getOrDefault(t.name(), levels);
            for (long n = (t.elementCount() + (long) bucket - 1) / bucket; n > 0; n--) {
                out[b++] = s;
            }
        }
        return out;
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        float[] norms = norms(values);
        int d = values.values().length;
        return UpdateFrame.write(NAME, d, metadata, Math.toIntExact(payloadBytes(values.spec())), out -> {
            for (float n : norms) {
                out.putFloat(n);
            }
            BitPacking.Writer bits = new BitPacking.Writer(out);
            quantise(values, norms, (i, norm, s, code) -> bits.put(code, width(s)));
            bits.finish();
        });
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(NAME, metadata, payloadBytes(spec));
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        int d = spec.parameterCount();
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, NAME, d);
        MemorySegment payload = UpdateFrame.exactPayload(frame, payloadBytes(spec), () -> "a qsgd payload for " + d
                + " parameters in " + buckets(spec) + " buckets of " + bucket + " at the plan's levels");
        long codesAt = 4L * buckets(spec);
        BitPacking.Reader codes = new BitPacking.Reader(payload.asSlice(codesAt));
        float[] out = new float[d];
        int[] bucketLevels = bucketLevels(spec);
        Buckets.forEach(spec, bucket, (b, from, to) -> {
            float norm = payload.get(SparseValues.F32, 4L * b);
            if (!Float.isFinite(norm) || Float.floatToRawIntBits(norm) < 0) {
                throw UpdateFrame.malformed("qsgd bucket " + b + " has norm " + norm
                        + "; a norm is a finite, non-negative float32");
            }
            int s = bucketLevels[b];
            int width = width(s);
            for (int i = from; i < to; i++) {
                int code = codes.get(width);
                if (code > 2 * s) {
                    throw UpdateFrame.malformed("qsgd code " + code + " at parameter " + i + " is above 2s = "
                            + 2 * s);
                }
                out[i] = value(norm, s, code);
            }
        });
        codes.end("the qsgd codes");
        return new Decoded(new Tensors(spec, out), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] out = new float[values.values().length];
        quantise(values, norms(values), (i, norm, s, code) -> out[i] = value(norm, s, code));
        return new Tensors(values.spec(), out);
    }

    /** The value the code stands for: {@code n (code - s) / s}, in double, rounded once to float32. */
    private static float value(float norm, int levels, int code) {
        return (float) ((double) norm * (code - levels) / levels);
    }

    /** Receives the code of the value at flat index {@code i}, whose bucket's norm is {@code norm} and levels s. */
    private interface CodeSink {
        void accept(int i, float norm, int levels, int code);
    }

    /** The codes of every value in flat order, each rounding decision on its own word of the participant's stream. */
    private void quantise(Tensors values, float[] norms, CodeSink sink) {
        if (seed == null) {
            throw new IllegalStateException("qsgd rounds on the participant's seed: bind it with forParticipant(seed)"
                    + " first");
        }
        Philox stream = Philox.stream(seed, STREAM);
        float[] v = values.values();
        int[] bucketLevels = bucketLevels(values.spec());
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
            float norm = norms[b];
            int levels = bucketLevels[b];
            for (int i = from; i < to; i++) {
                double word = Integer.toUnsignedLong(stream.nextWord());
                double r = norm == 0 ? 0 : Math.abs((double) v[i]) * levels / norm;
                int level = (int) r;
                if (word < (r - level) * 0x1p32) {
                    level++;
                }
                sink.accept(i, norm, levels, v[i] < 0 ? levels - level : levels + level);
            }
        });
    }

    /** Each bucket's L2 norm, computed in double and rounded up to float32. */
    private float[] norms(Tensors values) {
        float[] v = values.values();
        float[] norms = new float[buckets(values.spec())];
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> norms[b] = bucketNorm(v, from, to));
        return norms;
    }

    /**
     * The L2 norm of {@code v[from, to)}, computed in double and rounded up to float32 (so that {@code |v| <= n}).
     *
     * @throws IllegalArgumentException for a non-finite value or a norm beyond float32
     */
    private static float bucketNorm(float[] v, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("qsgd cannot encode the non-finite value " + v[i]
                        + " at parameter " + i);
            }
            sum += (double) v[i] * v[i];
        }
        double norm = Math.sqrt(sum);
        float up = (float) norm;
        if (up < norm) {
            up = Math.nextUp(up);
        }
        if (Float.isInfinite(up)) {
            throw new IllegalArgumentException("the qsgd bucket of parameters [" + from + ", " + to
                    + ") has a norm beyond float32: " + norm);
        }
        return up;
    }

    private long payloadBytes(ModelSpec spec) {
        long bits = 0;
        for (TensorSpec t : spec.tensors()) {
            bits += (long) t.elementCount() * width(perTensor.getOrDefault(t.name(), levels));
        }
        return 4L * buckets(spec) + BitPacking.bytes(bits);
    }

    private int buckets(ModelSpec spec) {
        return Buckets.count(spec, bucket);
    }
}
