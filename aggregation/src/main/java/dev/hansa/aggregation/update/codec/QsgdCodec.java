package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.random.Philox;
import dev.hansa.aggregation.tensor.ModelSpec;
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
 * fewest bits that hold 0..2s. Frame: docs/protocol.md.
 */
public final class QsgdCodec implements UpdateCodec {

    public static final String NAME = "qsgd";
    /** The Philox stream id of the rounding decisions: "qsgd" in ASCII. */
    public static final long STREAM = 0x71736764L;
    static final String STREAM_HEX = "0x71736764";
    static final int MAX_LEVELS = 32767;
    static final int DEFAULT_BUCKET = 512;

    private final int levels;
    private final int bucket;
    private final int width;
    private final Long seed;

    /** QSGD with {@code levels} levels (s) per sign and buckets of {@code bucket} values; not yet bound to a seed. */
    public QsgdCodec(int levels, int bucket) {
        this(levels, bucket, null);
    }

    private QsgdCodec(int levels, int bucket, Long seed) {
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("update.params.levels must be an integer in [1, " + MAX_LEVELS
                    + "], got " + levels);
        }
        if (bucket < 1) {
            throw new IllegalArgumentException("update.params.bucket must be >= 1, got " + bucket);
        }
        this.levels = levels;
        this.bucket = bucket;
        this.width = BitPacking.width(2L * levels);
        this.seed = seed;
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
        return new QsgdCodec(levels, bucket, participantSeed);
    }

    /** The bits per value's code: the fewest that hold 0..2s. */
    int width() {
        return width;
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
            quantise(values, norms, (i, norm, code) -> bits.put(code, width));
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
                + " parameters in " + buckets(spec) + " buckets of " + bucket + " at " + width + " bits per code");
        long codesAt = 4L * buckets(spec);
        BitPacking.Reader codes = new BitPacking.Reader(payload.asSlice(codesAt));
        float[] out = new float[d];
        Buckets.forEach(spec, bucket, (b, from, to) -> {
            float norm = payload.get(SparseValues.F32, 4L * b);
            if (!Float.isFinite(norm) || Float.floatToRawIntBits(norm) < 0) {
                throw UpdateFrame.malformed("qsgd bucket " + b + " has norm " + norm
                        + "; a norm is a finite, non-negative float32");
            }
            for (int i = from; i < to; i++) {
                int code = codes.get(width);
                if (code > 2 * levels) {
                    throw UpdateFrame.malformed("qsgd code " + code + " at parameter " + i + " is above 2s = "
                            + 2 * levels);
                }
                out[i] = value(norm, code);
            }
        });
        codes.end("the qsgd codes");
        return new Decoded(new Tensors(spec, out), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] out = new float[values.values().length];
        quantise(values, norms(values), (i, norm, code) -> out[i] = value(norm, code));
        return new Tensors(values.spec(), out);
    }

    /** The value the code stands for: {@code n (code - s) / s}, in double, rounded once to float32. */
    private float value(float norm, int code) {
        return (float) ((double) norm * (code - levels) / levels);
    }

    /** Receives the code of the value at flat index {@code i}, whose bucket's norm is {@code norm}. */
    private interface CodeSink {
        void accept(int i, float norm, int code);
    }

    /** The codes of every value in flat order, each rounding decision on its own word of the participant's stream. */
    private void quantise(Tensors values, float[] norms, CodeSink sink) {
        if (seed == null) {
            throw new IllegalStateException("qsgd rounds on the participant's seed: bind it with forParticipant(seed)"
                    + " first");
        }
        Philox stream = Philox.stream(seed, STREAM);
        float[] v = values.values();
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
            float norm = norms[b];
            for (int i = from; i < to; i++) {
                double word = Integer.toUnsignedLong(stream.nextWord());
                double r = norm == 0 ? 0 : Math.abs((double) v[i]) * levels / norm;
                int level = (int) r;
                if (word < (r - level) * 0x1p32) {
                    level++;
                }
                sink.accept(i, norm, v[i] < 0 ? levels - level : levels + level);
            }
        });
    }

    /** Each bucket's L2 norm, computed in double and rounded up to float32. */
    private float[] norms(Tensors values) {
        float[] v = values.values();
        float[] norms = new float[buckets(values.spec())];
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
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
                throw new IllegalArgumentException("qsgd bucket " + b + " has a norm beyond float32: " + norm);
            }
            norms[b] = up;
        });
        return norms;
    }

    private long payloadBytes(ModelSpec spec) {
        return 4L * buckets(spec) + BitPacking.bytes((long) spec.parameterCount() * width);
    }

    private int buckets(ModelSpec spec) {
        return Buckets.count(spec, bucket);
    }
}
