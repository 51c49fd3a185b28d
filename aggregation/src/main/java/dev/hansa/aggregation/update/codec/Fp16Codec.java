package dev.hansa.aggregation.update.codec;

/**
 * {@value #NAME}: every value as an IEEE 754 binary16 ({@link Float#floatToFloat16}: round to nearest, ties to even;
 * subnormals kept), the baseline beside {@code bf16}: 11 significant bits, but a range of only 2^-24 to 65504.
 * Values beyond the range saturate at +-65504 instead of becoming infinite (the server refuses non-finite updates;
 * with error feedback the excess is carried to the next round), and a NaN is refused, so a frame holds finite values
 * only: the decoder refuses the infinity and NaN codes.
 */
public final class Fp16Codec extends HalfWidthCodec {

    public static final String NAME = "fp16";
    private static final short MAX = 0x7bff;
    private static final int EXPONENT = 0x7c00;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    short toBits(float x, int index) {
        if (Float.isNaN(x)) {
            throw new IllegalArgumentException("fp16 cannot encode the NaN at parameter " + index);
        }
        short h = Float.floatToFloat16(x);
        return (h & EXPONENT) == EXPONENT ? (short) (h & 0x8000 | MAX) : h;
    }

    @Override
    float fromBits(short h, int index) {
        if ((h & EXPONENT) == EXPONENT) {
            throw UpdateFrame.malformed("fp16 value " + index + " is an infinity or NaN (0x"
                    + Integer.toHexString(h & 0xffff) + "); frames hold finite values only");
        }
        return Float.float16ToFloat(h);
    }
}
