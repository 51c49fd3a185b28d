package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
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
 * ({@code e | sign << 3}) packed ({@link BitPacking}). Frame: docs/protocol.md.
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
        float[] v = values.values();
        float[] scales = scales(values);
        return UpdateFrame.write(NAME, v.length, metadata, Math.toIntExact(payloadBytes(values.spec())), out -> {
            for (float s : scales) {
                out.putFloat(s);
            }
            BitPacking.Writer codes = new BitPacking.Writer(out);
            Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
                for (int i = from; i < to; i++) {
                    codes.put(code(v[i], scales[b]), WIDTH);
                }
            });
            codes.finish();
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
        BitPacking.Reader codes = new BitPacking.Reader(payload.asSlice(4L * buckets(spec)));
        float[] out = new float[d];
        Buckets.forEach(spec, bucket, (b, from, to) -> {
            float scale = payload.get(SparseValues.F32, 4L * b);
            if (!Float.isFinite(scale) || Float.floatToRawIntBits(scale) < 0) {
                throw UpdateFrame.malformed("e3m0 bucket " + b + " has scale " + scale
                        + "; a scale is a finite, non-negative float32");
            }
            for (int i = from; i < to; i++) {
                int code = codes.get(WIDTH);
                if (code == SIGN) {
                    throw UpdateFrame.malformed("e3m0 code " + code + " at parameter " + i
                            + " is a negative zero, which the encoder never writes");
                }
                out[i] = value(scale, code);
            }
        });
        codes.end("the e3m0 codes");
        return new Decoded(new Tensors(spec, out), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        float[] scales = scales(values);
        float[] out = new float[v.length];
        Buckets.forEach(values.spec(), bucket, (b, from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = value(scales[b], code(v[i], scales[b]));
            }
        });
        return new Tensors(values.spec(), out);
    }

    /**
     * The code of {@code x} in a bucket of scale {@code s >= |x|}: the exponent starts at 7 and drops by one for each
     * threshold {@code s 2^-(j + 1/2)}, j = 0..6, that |x| lies below, tested exactly as {@code x^2 < s^2 2^-(2j+1)}.
     */
    static int code(float x, float s) {
        if (x == 0) {
            return 0;
        }
        double square = (double) x * x;
        double threshold = (double) s * s * 0.5;
        int exponent = MAX_EXPONENT;
        while (exponent > 0 && square < threshold) {
            exponent--;
            threshold *= 0.25;
        }
        return exponent == 0 ? 0 : x < 0 ? SIGN | exponent : exponent;
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
