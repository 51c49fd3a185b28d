package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Fp16CodecTest {

    private final Fp16Codec codec = new Fp16Codec();

    @Test
    void matchesTheTestVectorInTheProtocol() {
        ModelSpec spec = TopKCodecTest.vector(4);
        byte[] bytes = codec.encode(new Tensors(spec, new float[] {1, -2, 3.14159f, 70000}), TopKCodecTest.META);
        assertEquals("48554601" + "04" + "66703136" + "04000000" + "0100" + "0b00" + "6e756d5f73616d706c6573"
                + "0100" + "37" + "08000000" + "003c" + "00c0" + "4842" + "ff7b", HexFormat.of().formatHex(bytes));
        assertArrayEquals(new float[] {1, -2, 3.140625f, 65504},
                codec.decode(MemorySegment.ofArray(bytes), spec).values().values());
    }

    @Test
    void roundsToNearestEvenAsAnIndependentDoubleComputationDoes() {
        // The reference: the binary16 quantum of |x| (2^(e - 10) for normals, 2^-24 below 2^-14), rint (ties to
        // even), saturated at 65504.
        Random r = new Random(31);
        int n = 20_000;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.scalb(1 + r.nextDouble(), r.nextInt(46) - 30));
        }
        v[0] = 1 + 0x1p-11f;
        v[1] = 1 + 3 * 0x1p-11f;
        v[2] = 0x1p-25f;
        v[3] = 3 * 0x1p-25f;
        v[4] = 65519;
        v[5] = 65520;
        v[6] = -1e30f;
        float[] back = codec.reconstruct(new Tensors(TopKCodecTest.vector(n), v)).values();
        for (int i = 0; i < n; i++) {
            double x = Math.abs((double) v[i]);
            double quantum = x < 0x1p-14 ? 0x1p-24 : Math.scalb(1.0, Math.getExponent(x) - 10);
            double expected = Math.min(Math.rint(x / quantum) * quantum, 65504) * Math.signum(v[i]);
            assertEquals(expected, back[i], 0.0, "value " + v[i]);
        }
        assertEquals(1f, back[0], "a tie goes to the even mantissa");
        assertEquals(1 + 0x1p-9f, back[1]);
        assertEquals(0f, back[2], "half the smallest subnormal: a tie, to zero");
        assertEquals(0x1p-23f, back[3]);
        assertEquals(65504f, back[4]);
        assertEquals(65504f, back[5], "saturated, not infinite");
        assertEquals(-65504f, back[6]);
    }

    @Test
    void refusesNonFiniteCodesAndNaN() {
        ModelSpec spec = TopKCodecTest.vector(2);
        for (int code : new int[] {0x7c00, 0xfc00, 0x7e00}) {
            byte[] frame = UpdateFrame.write(Fp16Codec.NAME, 2, Map.of(), 4, out -> out.putShort((short) 0x3c00)
                    .putShort((short) code));
            InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                    () -> codec.decode(MemorySegment.ofArray(frame), spec));
            assertEquals("malformed-frame", e.reason());
            assertTrue(e.getMessage().contains("fp16 value 1 is an infinity or NaN"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Tensors(spec, new float[] {Float.NaN, 0}), Map.of()));
    }
}
