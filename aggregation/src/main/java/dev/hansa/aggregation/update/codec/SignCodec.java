package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * {@value #NAME}: 1-bit signs with one scale per tensor, the scaled sign of EF-SignSGD (Karimireddy, Rebjock, Stich,
 * Jaggi, "Error Feedback Fixes SignSGD and other Gradient Compression Schemes", ICML 2019): a tensor t of n values is
 * sent as {@code scale_t = ||x_t||_1 / n} (the mean magnitude, computed in double and rounded to float32) and one
 * bit per value, set when the value is negative (zero goes to +), and decodes to {@code +-scale_t}. Biased but a
 * contraction ({@code ||C(x) - x||^2 = ||x||^2 - ||x||_1^2 / n} per tensor, so delta = ||x||_1^2 / (n ||x||_2^2)):
 * pair it with error feedback, which is what makes it converge. The payload is the scales as float32, one per
 * non-empty tensor in spec order, then the d sign bits packed ({@link BitPacking}). Frame: docs/protocol.md.
 */
public final class SignCodec implements UpdateCodec {

    public static final String NAME = "sign";
    /** Every tensor is one bucket. */
    private static final int WHOLE_TENSOR = Integer.MAX_VALUE;

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
            BitPacking.Writer bits = new BitPacking.Writer(out);
            for (float x : v) {
                bits.put(x < 0 ? 1 : 0, 1);
            }
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
        MemorySegment payload = UpdateFrame.exactPayload(frame, payloadBytes(spec), () -> "a sign payload for " + d
                + " parameters in " + Buckets.count(spec, WHOLE_TENSOR) + " tensors");
        BitPacking.Reader signs = new BitPacking.Reader(payload.asSlice(4L * Buckets.count(spec, WHOLE_TENSOR)));
        float[] out = new float[d];
        Buckets.forEach(spec, WHOLE_TENSOR, (t, from, to) -> {
            float scale = payload.get(SparseValues.F32, 4L * t);
            if (!Float.isFinite(scale) || Float.floatToRawIntBits(scale) < 0) {
                throw UpdateFrame.malformed("sign scale " + t + " is " + scale
                        + "; a scale is a finite, non-negative float32");
            }
            for (int i = from; i < to; i++) {
                out[i] = signs.get(1) == 1 ? -scale : scale;
            }
        });
        signs.end("the sign bits");
        return new Decoded(new Tensors(spec, out), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        float[] scales = scales(values);
        float[] out = new float[v.length];
        Buckets.forEach(values.spec(), WHOLE_TENSOR, (t, from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = v[i] < 0 ? -scales[t] : scales[t];
            }
        });
        return new Tensors(values.spec(), out);
    }

    /** Each tensor's mean magnitude, in double, rounded to float32. */
    private static float[] scales(Tensors values) {
        float[] v = values.values();
        float[] scales = new float[Buckets.count(values.spec(), WHOLE_TENSOR)];
        Buckets.forEach(values.spec(), WHOLE_TENSOR, (t, from, to) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("sign cannot encode the non-finite value " + v[i]
                            + " at parameter " + i);
                }
                sum += Math.abs((double) v[i]);
            }
            scales[t] = (float) (sum / (to - from));
        });
        return scales;
    }

    private static long payloadBytes(ModelSpec spec) {
        return 4L * Buckets.count(spec, WHOLE_TENSOR) + BitPacking.bytes(spec.parameterCount());
    }
}
