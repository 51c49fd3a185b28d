package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The 16-bit down-casting codecs ({@code bf16}, {@code fp16}): an {@link UpdateFrame} whose payload is the d values,
 * each cast to a 16-bit format, as little-endian u16 in spec order. Half the bytes of {@code dense}; lossy, so pair
 * it with error feedback. A subclass says how one value is cast and read back.
 */
abstract class HalfWidthCodec implements UpdateCodec {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The 16 bits that stand for {@code value} (the value at flat index {@code index}, for messages). */
    abstract short toBits(float value, int index);

    /**
     * The value 16 bits stand for.
     *
     * @throws dev.hansa.aggregation.tensor.InvalidTensorsException {@code malformed-frame} for bits the encoder never
     *                                                             writes
     */
    abstract float fromBits(short bits, int index);

    @Override
    public boolean lossless() {
        return false;
    }

    @Override
    public byte[] encode(Tensors values, Map<String, String> metadata) {
        float[] v = values.values();
        return UpdateFrame.write(name(), v.length, metadata, 2 * v.length, out -> {
            for (int i = 0; i < v.length; i++) {
                out.putShort(toBits(v[i], i));
            }
        });
    }

    @Override
    public long encodedSize(ModelSpec spec, Map<String, String> metadata) {
        return UpdateFrame.size(name(), metadata, 2L * spec.parameterCount());
    }

    @Override
    public Decoded decode(MemorySegment bytes, ModelSpec spec) {
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, name(), spec.parameterCount());
        if (frame.payload().byteSize() != 2L * spec.parameterCount()) {
            throw UpdateFrame.malformed("a " + name() + " payload holds 2 bytes per parameter: "
                    + 2L * spec.parameterCount() + " expected, " + frame.payload().byteSize() + " found");
        }
        float[] out = new float[spec.parameterCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fromBits(frame.payload().getAtIndex(U16, i), i);
        }
        return new Decoded(new Tensors(spec, out), frame.metadata());
    }

    @Override
    public Tensors reconstruct(Tensors values) {
        float[] v = values.values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = fromBits(toBits(v[i], i), i);
        }
        return new Tensors(values.spec(), out);
    }
}
