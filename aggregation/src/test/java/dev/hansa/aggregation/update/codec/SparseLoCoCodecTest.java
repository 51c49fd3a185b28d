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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SparseLoCoCodecTest {

    private static final ModelSpec TWO_BY_FOUR = ModelSpec.of(new TensorSpec("w", new int[] {2, 4}));

    @Test
    void matchesTheTestVectorInTheProtocol() {
        // chunk 2, kPerChunk 2: two 2x2 chunks keep 2 each: -2 and 3, then 4 and -1. Mean 1, centred -3 2 3 -2,
        // scale 6 sqrt(26/3) / 4 = 4.42, bins 1 2 3 2, lookup {0, -3, 0, 3}: decoded -2, 1, 4, 1.
        SparseLoCoCodec codec = new SparseLoCoCodec(2, 2);
        byte[] bytes = codec.encode(new Tensors(TWO_BY_FOUR, new float[] {1, -2, 0.5f, 4, 0, 3, -1, 0.25f}),
                TopKCodecTest.META);
        assertEquals("48554601" + "0a" + "7370617273656c6f636f" + "08000000" + "0100" + "0b00"
                + "6e756d5f73616d706c6573" + "0100" + "37" + "16000000" + "0000803f" + "00000000" + "000040c0"
                + "00000000" + "00004040" + "9d" + "b9", HexFormat.of().formatHex(bytes));
        assertArrayEquals(new float[] {0, -2, 0, 4, 0, 1, 1, 0},
                codec.decode(MemorySegment.ofArray(bytes), TWO_BY_FOUR).values().values());
    }

    @Test
    void chunksAsTheReferenceCodeDoes() {
        // COMPRESSION_MORE.md §4: a 64-vector keeps 2; a 50,257-row embedding (29 x 1733) gets 29 x 64 chunks, k 58.
        SparseLoCoCodec codec = new SparseLoCoCodec(64, 128);
        ModelSpec spec = ModelSpec.of(new TensorSpec("b", new int[] {64}), new TensorSpec("e", new int[] {50_257, 64}),
                new TensorSpec("s", new int[0]), new TensorSpec("c", new int[] {6, 2, 5}));
        List<SparseLoCoCodec.Layout> layouts = codec.layouts(spec);
        assertEquals(new SparseLoCoCodec.Layout(0, 1, 64, 1, 64, 2), layouts.get(0));
        assertEquals(new SparseLoCoCodec.Layout(64, 50_257, 64, 29, 64, 58), layouts.get(1));
        assertEquals(1733, layouts.get(1).chunks());
        assertEquals(new SparseLoCoCodec.Layout(64 + 50_257 * 64, 1, 1, 1, 1, 1), layouts.get(2), "a scalar");
        assertEquals(new SparseLoCoCodec.Layout(64 + 50_257 * 64 + 1, 6, 10, 6, 10, 2), layouts.get(3),
                "more dimensions: shape[0] rows; k = rint(60 * 128 / 4096) = 2");
    }

    @Test
    void decodesWhatAnIndependentRecomputationGives() {
        Random r = new Random(41);
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {24, 20}), new TensorSpec("b", new int[] {20}));
        SparseLoCoCodec codec = new SparseLoCoCodec(8, 16);
        for (int trial = 0; trial < 20; trial++) {
            float[] v = new float[spec.parameterCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
            }
            float[] back = codec.decode(MemorySegment.ofArray(codec.encode(new Tensors(spec, v), Map.of())), spec)
                    .values().values();
            assertArrayEquals(codec.reconstruct(new Tensors(spec, v)).values(), back);
            // w: 24 x 20 in chunks of 8 x 5 (k = rint(40 * 16 / 64) = 10); b: one row in chunks of 5 (k = 1).
            assertArrayEquals(reference(v, 0, 24, 20, 8, 5, 10), Arrays.copyOfRange(back, 0, 480), 1e-5f, "w " + trial);
            assertArrayEquals(reference(v, 480, 1, 20, 1, 5, 1), Arrays.copyOfRange(back, 480, 500), 1e-5f,
                    "b " + trial);
        }
    }

    /** Top-k per chunk of a {@code rows x columns} tensor at {@code offset}, then the 4-bin quantiser, in double. */
    private static float[] reference(float[] v, int offset, int rows, int columns, int height, int width, int k) {
        int n = rows * columns;
        int[] kept = IntStream.range(0, (rows / height) * (columns / width)).flatMap(c -> {
            int a = c / (columns / width);
            int b = c % (columns / width);
            return IntStream.range(0, height * width)
                    .map(j -> (a * height + j / width) * columns + b * width + j % width)
                    .boxed().sorted(Comparator.<Integer>comparingDouble(i -> -Math.abs(v[offset + i]))
                            .thenComparing(Comparator.naturalOrder())).limit(k).mapToInt(Integer::intValue);
        }).toArray();
        double mean = Arrays.stream(kept).mapToDouble(i -> v[offset + i]).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(kept).mapToDouble(i -> Math.pow(v[offset + i] - mean, 2)).sum()
                / (kept.length - 1));
        double scale = 6 * std / 4;
        int[] bin = Arrays.stream(kept).map(i -> (int) Math.max(0, Math.min(3,
                Math.rint((v[offset + i] - mean) / scale + 2)))).toArray();
        float[] out = new float[n];
        for (int b = 0; b < 4; b++) {
            int bb = b;
            double centre = IntStream.range(0, kept.length).filter(j -> bin[j] == bb)
                    .mapToDouble(j -> v[offset + kept[j]] - mean).average().orElse(0);
            for (int j = 0; j < kept.length; j++) {
                if (bin[j] == b) {
                    out[kept[j]] = (float) (centre + mean);
                }
            }
        }
        return out;
    }

    @Test
    void refusesHostileFramesBeforeAllocating() {
        SparseLoCoCodec codec = new SparseLoCoCodec(2, 2);
        float[] table = {1, 0, -3, 0, 3};
        assertRefused(codec, frame(table, new byte[] {(byte) 0x9d}), "has 22 bytes, 21 found");
        assertRefused(codec, frame(new float[] {Float.NaN, 0, -3, 0, 3}, new byte[] {(byte) 0x9d, (byte) 0xb9}),
                "shift NaN");
        assertRefused(codec, frame(new float[] {1, 0, -3, Float.NEGATIVE_INFINITY, 3},
                new byte[] {(byte) 0x9d, (byte) 0xb9}), "lookup entry 2 -Infinity");
        // Indices 3 then 1: not ascending.
        assertRefused(codec, frame(table, new byte[] {(byte) 0x97, (byte) 0xb9}), "index 1 is 1");
        // Indices 1 then 1: a duplicate.
        assertRefused(codec, frame(table, new byte[] {(byte) 0x95, (byte) 0xb9}), "index 1 is 1");
        assertRefused(codec, frame(new float[] {Float.MAX_VALUE, 0, -3, 0, Float.MAX_VALUE},
                new byte[] {(byte) 0x9d, (byte) 0xb9}), "decodes to Infinity");
    }

    @Test
    void parametersDefaultToSparseLoCosSettings() {
        assertEquals(Map.of("chunk", 64.0, "kPerChunk", 128.0),
                UpdateCodecs.configure("sparseloco", 0, Map.of()).params());
        for (var bad : List.<Map<String, Object>>of(Map.of("chunk", 0), Map.of("chunk", 4, "kPerChunk", 17),
                Map.of("bins", 4))) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> UpdateCodecs.configure("sparseloco", 0, bad)).getMessage();
            assertTrue(message.startsWith("update.params"), bad + ": " + message);
        }
    }

    private static void assertRefused(UpdateCodec codec, byte[] frame, String detail) {
        InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                () -> codec.decode(MemorySegment.ofArray(frame), TWO_BY_FOUR));
        assertEquals("malformed-frame", e.reason());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static byte[] frame(float[] table, byte[] bits) {
        return UpdateFrame.write(SparseLoCoCodec.NAME, 8, Map.of(), 4 * table.length + bits.length, out -> {
            for (float x : table) {
                out.putFloat(x);
            }
            out.put(bits);
        });
    }
}
