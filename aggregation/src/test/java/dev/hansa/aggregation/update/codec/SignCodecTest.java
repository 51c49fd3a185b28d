package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignCodecTest {

    private static final ModelSpec TWO = ModelSpec.of(new TensorSpec("w", new int[] {4}),
            new TensorSpec("b", new int[] {1}));
    private final SignCodec codec = new SignCodec();

    @Test
    void matchesTheTestVectorInTheProtocol() {
        // w = {1, -2, 0, -5}: scale 8 / 4 = 2, signs 0 1 0 1; b = {-0.25}: scale 0.25, sign 1. Bits 0b10110.
        byte[] bytes = codec.encode(new Tensors(TWO, new float[] {1, -2, 0, -5, -0.25f}), TopKCodecTest.META);
        assertEquals("48554601" + "04" + "7369676e" + "05000000" + "0100" + "0b00" + "6e756d5f73616d706c6573"
                + "0100" + "37" + "09000000" + "00000040" + "0000803e" + "1a", HexFormat.of().formatHex(bytes));
        assertArrayEquals(new float[] {2, -2, 2, -2, -0.25f},
                codec.decode(MemorySegment.ofArray(bytes), TWO).values().values());
    }

    @Test
    void isTheScaledSignWithTheContractionOfThePaper() {
        // Per tensor of n values: C(x) = (||x||_1 / n) sign(x), so ||C(x) - x||^2 = ||x||^2 - ||x||_1^2 / n.
        Random r = new Random(21);
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {30, 7}), new TensorSpec("b", new int[] {7}));
        for (int trial = 0; trial < 50; trial++) {
            float[] v = new float[spec.parameterCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * Math.exp(2 * r.nextGaussian()));
            }
            float[] back = codec.decode(MemorySegment.ofArray(codec.encode(new Tensors(spec, v), Map.of())), spec)
                    .values().values();
            assertArrayEquals(codec.reconstruct(new Tensors(spec, v)).values(), back);
            int[][] tensors = {{0, 210}, {210, 217}};
            for (int[] t : tensors) {
                double l1 = 0;
                double l2 = 0;
                double error = 0;
                for (int i = t[0]; i < t[1]; i++) {
                    l1 += Math.abs((double) v[i]);
                    l2 += (double) v[i] * v[i];
                    error += (back[i] - (double) v[i]) * (back[i] - (double) v[i]);
                }
                int n = t[1] - t[0];
                for (int i = t[0]; i < t[1]; i++) {
                    assertEquals((v[i] < 0 ? -1 : 1) * l1 / n, back[i], 1e-6 * l1 / n, "trial " + trial + " at " + i);
                }
                assertEquals(l2 - l1 * l1 / n, error, 1e-5 * l2, "trial " + trial);
            }
        }
    }

    @Test
    void refusesHostileFramesBeforeAllocating() {
        assertRefused(frame(new float[] {2, 0.25f}, new byte[0]), "has 9 bytes, 8 found");
        assertRefused(frame(new float[] {Float.NaN, 0.25f}, new byte[] {0x1a}), "scale 0 is NaN");
        assertRefused(frame(new float[] {2, -0.25f}, new byte[] {0x1a}), "scale 1 is -0.25");
        assertRefused(frame(new float[] {2, 0.25f}, new byte[] {0x3a}), "padding bits");
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Tensors(TWO,
                new float[] {1, Float.POSITIVE_INFINITY, 0, 0, 0}), Map.of()));
    }

    private void assertRefused(byte[] frame, String detail) {
        InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                () -> codec.decode(MemorySegment.ofArray(frame), TWO));
        assertEquals("malformed-frame", e.reason());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static byte[] frame(float[] scales, byte[] bits) {
        return UpdateFrame.write(SignCodec.NAME, 5, Map.of(), 4 * scales.length + bits.length, out -> {
            for (float s : scales) {
                out.putFloat(s);
            }
            out.put(bits);
        });
    }
}
