package dev.hansa.aggregation.update.codec;

/**
 * {@value #NAME}: every value as a bfloat16 (the upper 16 bits of its float32, rounded to nearest, ties to even).
 * Float32's full range, 8 significant bits.
 */
public final class Bf16Codec extends HalfWidthCodec {

    public static final String NAME = "bf16";

    @Override
    public String name() {
        return NAME;
    }

    /** Round to nearest even on the dropped 16 bits; NaN stays a (quiet) NaN. */
    @Override
    short toBits(float x, int index) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    @Override
    float fromBits(short h, int index) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }
}
