package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * {@value #NAME}: every value as a bfloat16 (the upper 16 bits of its float32, rounded to nearest, ties to even)
 * in an {@link UpdateFrame} whose payload is the d values as little-endian u16 in spec order. Half the bytes of
 * {@code dense}, float32's full range, 8 significant bits; lossy, so pair it with error feedback.
 */
public final class Bf16Codec implements UpdateCodec {

    public static final String NAME = "bf16";
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
        return UpdateFrame.write(NAME, v.length, metadata, 2 * v.length, out -> {
            for (float x : v) {
                out.putShort(toBf16(x));
            }
        });
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(NAME, metadata, 2L * spec.parameterCount());
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, NAME, spec.parameterCount());
        if (frame.payload().byteSize() != 2L * spec.parameterCount()) {
            throw UpdateFrame.malformed("a bf16 payload holds 2 bytes per parameter: " + 2L * spec.parameterCount()
                    + " expected, " + frame.payload().byteSize() + " found");
        }
        float[] out = new float[spec.parameterCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fromBf16(frame.payload().getAtIndex(U16, i));
        }
        return new Decoded(new Tensors(spec, out), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = fromBf16(toBf16(v[i]));
        }
        return new Tensors(values.spec(), out);
    }

    /** Round to nearest even on the dropped 16 bits; NaN stays a (quiet) NaN. */
    static short toBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    static float fromBf16(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }
}
