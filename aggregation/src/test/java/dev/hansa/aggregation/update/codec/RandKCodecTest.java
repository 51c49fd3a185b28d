package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.random.PythonReference;
import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RandKCodecTest {

    private static final long SEED = 0x12345678deadbeefL;

    @Test
    void indicesEqualThePythonReference() throws Exception {
        for (int[] dk : new int[][] {{8, 3}, {1000, 50}, {1, 1}, {70_000, 700}, {5, 5}}) {
            int[] java = RandKCodec.indices(SEED ^ dk[0], dk[0], dk[1]);
            int[] python = PythonReference.run("randk", "0x" + Long.toHexString(SEED ^ dk[0]), "" + dk[0], "" + dk[1])
                    .stream().mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(python, java, "d " + dk[0] + " k " + dk[1]);
        }
    }

    @Test
    void matchesTheTestVectorInTheProtocol() {
        // d = 8, k = 3, plan seed 0x12345678deadbeef: indices 1, 3, 4 (also from bin/philox_reference.py).
        ModelSpec spec = TopKCodecTest.vector(8);
        float[] v = {0.5f, -3, 0, 2, 0.25f, 0, -3, 1};
        UpdateCodec codec = new RandKCodec(3).forParticipant(SEED);
        byte[] bytes = codec.encode(new Tensors(spec, v), TopKCodecTest.META);
        assertEquals("48554601" + "05" + "72616e646b" + "08000000" + "0100" + "0b00" + "6e756d5f73616d706c6573"
                + "0100" + "37" + "10000000" + "03000000" + "000040c0" + "00000040" + "0000803e",
                HexFormat.of().formatHex(bytes));
        assertArrayEquals(new float[] {0, -3, 0, 2, 0.25f, 0, 0, 0},
                codec.decode(MemorySegment.ofArray(bytes), spec).values().values());
    }

    @Test
    void keepsTheDrawnCoordinatesExactlyAndDependsOnTheSeed() {
        Random r = new Random(3);
        int d = 500;
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
        }
        ModelSpec spec = TopKCodecTest.vector(d);
        UpdateCodec codec = new RandKCodec(0.1).forParticipant(42);
        float[] back = codec.decode(MemorySegment.ofArray(codec.encode(new Tensors(spec, v), Map.of())), spec)
                .values().values();
        int[] kept = RandKCodec.indices(42, d, 50);
        for (int i = 0, j = 0; i < d; i++) {
            boolean isKept = j < kept.length && kept[j] == i;
            assertEquals(isKept ? v[i] : 0.0, back[i], 0.0, "coordinate " + i);
            j += isKept ? 1 : 0;
        }
        assertTrue(!Arrays.equals(kept, RandKCodec.indices(43, d, 50)), "another participant, other indices");
        assertEquals(50, Arrays.stream(kept).distinct().count());
    }

    @Test
    void refusesFramesThatDisagreeWithThePlan() {
        ModelSpec spec = TopKCodecTest.vector(8);
        UpdateCodec codec = new RandKCodec(3).forParticipant(SEED);
        assertRefused(codec, spec, frame(8, 0x80000000L, 0), "claims 2147483648 entries");
        assertRefused(codec, spec, frame(8, 2, 2), "holds 2 values, the plan's update.k keeps 3");
        assertRefused(codec, spec, frame(8, 3, 2), "truncated");
        assertRefused(codec, spec, frame(8, 3, 4), "has 16 bytes, 20 found");
        assertThrows(IllegalStateException.class, () -> new RandKCodec(3).encode(new Tensors(spec, new float[8]),
                Map.of()), "unbound: no seed to draw from");
    }

    private static void assertRefused(UpdateCodec codec, ModelSpec spec, byte[] frame, String detail) {
        InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                () -> codec.decode(MemorySegment.ofArray(frame), spec));
        assertEquals("malformed-frame", e.reason());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static byte[] frame(int d, long count, int values) {
        return UpdateFrame.write(RandKCodec.NAME, d, Map.of(), 4 + 4 * values, out -> {
            out.putInt((int) count);
            for (int j = 0; j < values; j++) {
                out.putFloat(1);
            }
        });
    }
}
