package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * {@value #NAME}: 4-bit floats with 1 sign, 3 exponent and 0 mantissa bits, the exchange format of Streaming DiLoCo
 * (Douillard et al., "Streaming DiLoCo with overlapping communication", arXiv 2501.18512), with one float32 scale per
 * bucket of {@code update.params.bucket} consecutive values of a tensor (default {@value #DEFAULT_BUCKET}, as
 * {@code qsgd}). The paper does not state its bias, zero code or scale granularity, so the definition is our own
 * (COMPRESSION_MORE.md §3.2): the scale s is the bucket's largest magnitude (one of its values, so exact); a value x
 * becomes the exponent {@code e = clamp(round(log2(|x| / s)) + 7, 0, 7)} with its sign, e = 0 meaning zero, and
 * decodes to {@code float32(+-s 2^(e - 7))}: the levels s/64 .. s, and zero below {@code s 2^-6.5}.
 *
 * <p>Rounding is to nearest in the log domain, deterministic. It is biased (a value between two levels always goes to
 * the nearer one in ratio), but a contraction: a value above the zero threshold keeps its sign and is off by at most
 * {@code (sqrt 2 - 1) |x|}, one below it by {@code |x|}, and the bucket's largest value is exact, so
 * {@code ||C(x) - x|| < ||x||} for every non-zero x, which is what error feedback needs to carry the bias forward
 * and deliver it later. Stochastic rounding would be unbiased but, between zero and the smallest level s/64, has a
 * variance far above x^2 (the failure of {@code qsgd} s = 1 with error feedback, docs/communication.md), and it
 * would need the participant's seed. The thresholds {@code s 2^(k + 1/2)} are irrational multiples of s, so no float
 * lies on one and no tie rule is needed; the encoder decides each one exactly by comparing {@code x^2} with
 * {@code s^2 2^(2k + 1)} in double, where both sides are exact.
 *
 * <p>Why buckets: the 7 levels span only a factor 64, so one scale for a large tensor would zero every value below
 * 1/90 of the tensor's largest; a scale per 512 values costs 1/16 bit per value (4.0625 bits in all) and follows
 * the local magnitude. Payload: the scales as float32, one per bucket in order, then the d 4-bit codes
 * ({@code e | sign << 3}) packed two per byte, low nibble first ({@link BitPacking}'s layout). Frame:
 * docs/protocol.md.
 */
public final class E3m0Codec implements UpdateCodec {

    public static final String NAME = "e3m0";
    static final int DEFAULT_BUCKET = 512;
    /** Bits per code: 1 sign, 3 exponent. */
    private static final int WIDTH = 4;
    private static final int MAX_EXPONENT = 7;
    private static final int SIGN = 1 << 3;

    private final int bucket;

    /** E3M0 with one scale per {@code bucket} consecutive values of a tensor. */
    public E3m0Codec(int bucket) {
        if (bucket < 1) {
            throw new IllegalArgumentException("update.params.bucket must be >= 1, got " + bucket);
        }
        this.bucket = bucket;
    }

    /** From {@code update.params}: {@code bucket} (default {@value #DEFAULT_BUCKET}). */
    static E3m0Codec of(Hyperparameters params) {
        return new E3m0Codec((int) params.integer("bucket", DEFAULT_BUCKET, 1, Integer.MAX_VALUE));
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
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        float[] scales = scales(values);
        byte[] codes = codes(values, scales);
        return UpdateFrame.write(NAME, values.values().length, metadata,
                Math.toIntExact(payloadBytes(values.spec())), out -> {
                    for (float s : scales) {
                        out.putFloat(s);
                    }
                    out.put(codes);
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
        MemorySegment payload = UpdateFrame.exactPayload(frame, payloadBytes(spec), () -> "an e3m0 payload for " + d
                + " parameters in " + buckets(spec) + " buckets of " + bucket);
        long codesAt = 4L * buckets(spec);
        if (d % 2 == 1 && (payload.get(ValueLayout.JAVA_BYTE, payload.byteSize() - 1) & 0xf0) != 0) {
            throw UpdateFrame.malformed("the e3m0 codes set padding bits after the last field");
        }
        float[] out = new float[d];
        float[] levels = new float[1 << WIDTH];
        Buckets.forEach(spec, bucket, (b, from, to) -> {
            float scale = payload.get(SparseValues.F32, 4L * b);
            if (!Float.isFinite(scale) || Float.floatToRawIntBits(scale) < 0) {
                throw UpdateFrame.malformed("e3m0 bucket " + b + " has scale " + scale
                        + "; a scale is a finite, non-negative float32");
            }
            for (int code = 0; code < levels.length; code++) {
                levels[code] = value(scale, code);
            }
            for (int i = from; i < to; i++) {
                int code = nibble(payload.get(ValueLayout.JAVA_BYTE, codesAt + (i >> 1)), i);
                if (code == SIGN) {
                    throw UpdateFrame.malformed("e3m0 code " + code + " at parameter " + i
                            + " is a negative zero, which the encoder never writes");
                }
                out[i] = levels[code];
            }
        });
        return new Decoded(new Tensors(spec, out), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] scales = scales(values);
        byte[] codes = codes(values, scales);
        float[] out = new float[values.values().length];
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = value(scales[b], nibble(codes[i >> 1], i));
            }
        });
        return new Tensors(values.spec(), out);
    }

    /**
     * The codes of every value packed two per byte, value i in the low nibble of byte i / 2 when i is even, else
     * in the high one: {@link BitPacking}'s stream at width 4, written a byte at a time.
     */
    private byte[] codes(Tensors values, float[] scales) {
        float[] v = values.values();
        byte[] codes = new byte[Math.toIntExact(BitPacking.bytes((long) v.length * WIDTH))];
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
            double[] thresholds = thresholds(scales[b]);
            for (int i = from; i < to; i++) {
                codes[i >> 1] |= (byte) (code(v[i], thresholds) << ((i & 1) * WIDTH));
            }
        });
        return codes;
    }

    /** Value i's code in the byte that holds it. */
    private static int nibble(byte packed, int i) {
        return (packed >> ((i & 1) * WIDTH)) & 0xf;
    }

    /**
     * The squared thresholds {@code s^2 2^-(2j + 1)}, j = 0..6, of a bucket of scale s: a value whose square lies
     * below j + 1 of them is {@code s 2^-(j + 1/2)} or less and loses j + 1 from the exponent 7. Exact in double.
     */
    static double[] thresholds(float scale) {
        double[] thresholds = new double[MAX_EXPONENT];
        double threshold = (double) scale * scale * 0.5;
        for (int j = 0; j < thresholds.length; j++) {
            thresholds[j] = threshold;
            threshold *= 0.25;
        }
        return thresholds;
    }

    /**
     * The code of {@code x} in a bucket whose {@link #thresholds} are given ({@code |x|} at most its scale): the
     * exponent 7 less the thresholds {@code x^2} lies below, and the sign bit; zero for x = 0 and below the last
     * threshold. Counted without branches, since the comparisons of random values are unpredictable.
     */
    static int code(float x, double[] thresholds) {
        if (x == 0) {
            return 0;
        }
        double square = (double) x * x;
        int exponent = MAX_EXPONENT;
        for (double threshold : thresholds) {
            exponent -= square < threshold ? 1 : 0;
        }
        int sign = (Float.floatToRawIntBits(x) >>> 28) & SIGN;
        return exponent == 0 ? 0 : exponent | sign;
    }

    /** The value of a code: {@code +-s 2^(e - 7)} in double, rounded once to float32 (exact unless subnormal). */
    static float value(float scale, int code) {
        int exponent = code & (SIGN - 1);
        if (exponent == 0) {
            return 0;
        }
        float magnitude = (float) (scale * Math.scalb(1.0, exponent - MAX_EXPONENT));
        return (code & SIGN) != 0 ? -magnitude : magnitude;
    }

    /** Each bucket's largest magnitude; a non-finite value is refused, naming its index. */
    private float[] scales(Tensors values) {
        float[] v = values.values();
        float[] scales = new float[buckets(values.spec())];
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
            float max = 0;
            for (int i = from; i < to; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("e3m0 cannot encode the non-finite value " + v[i]
                            + " at parameter " + i);
                }
                max = Math.max(max, Math.abs(v[i]));
            }
            scales[b] = max;
        });
        return scales;
    }

    private long payloadBytes(ModelSpec spec) {
        return 4L * buckets(spec) + BitPacking.bytes((long) spec.parameterCount() * WIDTH);
    }

    private int buckets(ModelSpec spec) {
        return Buckets.count(spec, bucket);
    }
}
