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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKCodecTest {

    static final Map<String, String> META = Map.of("num_samples", "7");

    static ModelSpec vector(int d) {
        return ModelSpec.of(new TensorSpec("w", new int[] {d}));
    }

    @Test
    void keepsExactlyTheKLargestMagnitudesWithTiesToTheLowerIndex() {
        Random r = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int d = 1 + r.nextInt(300);
            float[] v = new float[d];
            for (int i = 0; i < d; i++) {
                // Few distinct magnitudes, both signs: many ties.
                v[i] = (r.nextBoolean() ? 1 : -1) * r.nextInt(5) * 0.25f;
            }
            int k = 1 + r.nextInt(d);
            // Independent reference: indices sorted by (|v| descending, index ascending), the first k.
            int[] expected = IntStream.range(0, d).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -Math.abs((double) v[i])).thenComparing(i -> i))
                    .limit(k).mapToInt(Integer::intValue).sorted().toArray();
            assertArrayEquals(expected, LargestMagnitudes.indices(v, k), "trial " + trial);
        }
        assertArrayEquals(new int[] {1}, LargestMagnitudes.indices(new float[] {1, -3, 0, 3}, 1), "tie: lower index");
    }

    @Test
    void decodingGivesTheKeptValuesInDoublePrecisionAndZerosElsewhere() {
        Random r = new Random(2);
        for (double k : new double[] {0.01, 0.1, 0.5, 1, 7, 2000}) {
            int d = 1000;
            float[] v = new float[d];
            for (int i = 0; i < d; i++) {
                v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
            }
            TopKCodec codec = new TopKCodec(k);
            float[] back = codec.decode(MemorySegment.ofArray(codec.encode(new Tensors(vector(d), v), META)), vector(d))
                    .values().values();
            int kept = new SparseSize(k).of(d);
            double threshold = IntStream.range(0, d).mapToDouble(i -> Math.abs((double) v[i])).sorted()
                    .toArray()[d - kept];
            int nonZero = 0;
            for (int i = 0; i < d; i++) {
                double expected = Math.abs((double) v[i]) >= threshold ? v[i] : 0.0;
                assertEquals(expected, back[i], 0.0, "k " + k + " coordinate " + i);
                nonZero += back[i] != 0 ? 1 : 0;
            }
            assertEquals(kept, nonZero, "k " + k);
        }
    }

    @Test
    void choosesTheSmallerIndexCodingPerFrame() {
        // d = 8, keep 3: deltas take 3 bytes, the bitmap 1, so the bitmap. docs/protocol.md, topk test vector 1.
        float[] v = {0.5f, -3, 0, 2, 0, 0, -3, 1};
        byte[] bitmap = new TopKCodec(3).encode(new Tensors(vector(8), v), META);
        assertEquals("48554601" + "04" + "746f706b" + "08000000" + "0100" + "0b00" + "6e756d5f73616d706c6573" + "0100"
                + "37" + "12000000" + "03000000" + "01" + "4a" + "000040c0" + "00000040" + "000040c0",
                HexFormat.of().formatHex(bitmap));
        // d = 300, keep 2 at 5 and 290: deltas 5 and 284 take 3 bytes, the bitmap 38: deltas. Test vector 2.
        float[] w = new float[300];
        w[5] = 1;
        w[290] = -0.5f;
        byte[] delta = new TopKCodec(2).encode(new Tensors(vector(300), w), META);
        assertEquals("48554601" + "04" + "746f706b" + "2c010000" + "0100" + "0b00" + "6e756d5f73616d706c6573" + "0100"
                + "37" + "10000000" + "02000000" + "00" + "059c02" + "0000803f" + "000000bf",
                HexFormat.of().formatHex(delta));
    }

    @Test
    void refusesHostileIndexSectionsNamingTheProblem() {
        ModelSpec spec = vector(300);
        assertRefused(spec, frame(300, 0x80000000L, 0, new byte[0], 0), "claims 2147483648 entries");
        assertRefused(spec, frame(300, 2, 0, new byte[] {5}, 2), "end inside index 1");
        assertRefused(spec, frame(300, 2, 0, new byte[] {5, 0, 0}, 2), "bytes follow");
        assertRefused(spec, frame(300, 2, 0, new byte[] {5, (byte) 0x80, 0}, 2), "not a shortest");
        assertRefused(spec, frame(300, 2, 0, new byte[] {5, (byte) 0xa6, 0x02}, 2), "out of range");
        assertRefused(spec, frame(300, 2, 0, new byte[] {5}, 1), "truncated");
        assertRefused(spec, frame(300, 1, 2, new byte[] {5}, 1), "unknown top-k index coding 2");
        byte[] bits = new byte[38];
        bits[0] = 3;
        assertRefused(spec, frame(300, 1, 1, bits, 1), "sets 2 bits, the frame claims 1");
        bits[0] = 1;
        bits[37] = (byte) 0x80;
        assertRefused(spec, frame(300, 2, 1, bits, 2), "past parameter 299");
        assertRefused(spec, frame(300, 1, 1, new byte[37], 1), "has 38 bytes");
        // A delta coding cannot express a duplicate: gap 0 after index 5 is index 6.
        float[] back = new TopKCodec(2).decode(MemorySegment.ofArray(frame(300, 2, 0, new byte[] {5, 0}, 2)), spec)
                .values().values();
        assertEquals(1f, back[5]);
        assertEquals(1f, back[6]);
    }

    private static void assertRefused(ModelSpec spec, byte[] frame, String detail) {
        InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                () -> new TopKCodec(2).decode(MemorySegment.ofArray(frame), spec));
        assertEquals("malformed-frame", e.reason());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    /** A top-k frame with the given count, coding byte, index bytes and {@code values} float32 ones. */
    static byte[] frame(int d, long count, int coding, byte[] indices, int values) {
        int length = 5 + indices.length + 4 * values;
        return UpdateFrame.write(TopKCodec.NAME, d, Map.of(), length, out -> {
            out.putInt((int) count).put((byte) coding).put(indices);
            for (int j = 0; j < values; j++) {
                out.putFloat(1);
            }
        });
    }

    @Test
    void perTensorFramesMustKeepThePlannedCountInEveryTensor() {
        // w[10] keeps 0.3 (3 entries), b[10] keeps update.k = 0.1 (1 entry). A global top-k of 4 over the same
        // values keeps 2 and 2: the total is right, the split is not, and the plan's decoder refuses it.
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {10}), new TensorSpec("b", new int[] {10}));
        float[] v = {9, 1, 1, 1, 1, 1, 1, 1, 1, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 6};
        TopKCodec planned = TopKCodec.perTensor(0.1, Map.of("w", 0.3));
        byte[] own = planned.encode(new Tensors(spec, v), META);
        assertArrayEquals(new float[] {9, 1, 0, 0, 0, 0, 0, 0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                planned.decode(MemorySegment.ofArray(own), spec).values().values());
        byte[] global = new TopKCodec(4).encode(new Tensors(spec, v), META);
        InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                () -> planned.decode(MemorySegment.ofArray(global), spec));
        assertTrue(e.getMessage().contains("topk keeps 2 entries of tensor 'w'; the plan's per-tensor density keeps 3"),
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopKCodec.perTensor(0.1, Map.of("w", 1.0)))
                .getMessage().startsWith("update.tensorKnob.w must be topk's density"));
    }

    @Test
    void sizesAreFractionsOrCounts() {
        assertEquals(7, new SparseSize(0.07).of(100), "rounded, not ceiled");
        assertEquals(1, new SparseSize(0.001).of(100), "at least one");
        assertEquals(100, new SparseSize(500).of(100), "capped at d");
        for (double bad : new double[] {0, -1, 1.5, Double.NaN, Double.POSITIVE_INFINITY, 3e9}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new SparseSize(bad)).getMessage()
                    .startsWith("update.k must be"), "" + bad);
        }
    }
}
