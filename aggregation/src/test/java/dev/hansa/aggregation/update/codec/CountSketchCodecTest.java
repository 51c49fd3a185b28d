package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.random.Philox;
import dev.hansa.aggregation.random.PythonReference;
import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
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

class CountSketchCodecTest {

    private static final long SEED = 0x12345678deadbeefL;

    @Test
    void matchesTheTestVectorInTheProtocol() {
        // One row of 2 columns; hashes (column, sign) of the 4 coordinates: (1, +), (1, -), (0, -), (0, +).
        // x = {4, 1, -2, 0.5}: S = {2 + 0.5, 4 - 1} = {2.5, 3}; estimates 3, -3, -2.5, 2.5; k = 2 keeps the 3s.
        ModelSpec spec = TopKCodecTest.vector(4);
        UpdateCodec codec = new CountSketchCodec(2, 1, 2).forParticipant(SEED);
        byte[] bytes = codec.encode(new Tensors(spec, new float[] {4, 1, -2, 0.5f}), TopKCodecTest.META);
        assertEquals("48554601" + "0b" + "636f756e74736b65746368" + "04000000" + "0100" + "0b00"
                + "6e756d5f73616d706c6573" + "0100" + "37" + "08000000" + "00002040" + "00004040",
                HexFormat.of().formatHex(bytes));
        assertArrayEquals(new float[] {3, -3, 0, 0},
                codec.decode(MemorySegment.ofArray(bytes), spec).values().values());
    }

    @Test
    void hashesEqualThePythonReference() throws Exception {
        List<String> python = PythonReference.run("countsketch", "0x" + Long.toHexString(SEED), "3", "7", "50");
        int[][] java = hashes(SEED, 3, 7, 50);
        for (int line = 0; line < python.size(); line++) {
            int[] h = java[line];
            assertEquals(python.get(line), h[0] + " " + h[1], "row " + line / 50 + " coordinate " + line % 50);
        }
        assertEquals(150, python.size());
    }

    /** Row-major (column, sign) pairs recomputed from the documented draws. */
    private static int[][] hashes(long seed, int rows, int columns, int d) {
        int[][] out = new int[rows * d][];
        for (int j = 0; j < rows; j++) {
            Philox s = Philox.stream(seed, CountSketch.STREAM << 8 | j);
            for (int i = 0; i < d; i++) {
                out[j * d + i] = new int[] {s.nextInt(columns), s.nextSign()};
            }
        }
        return out;
    }

    @Test
    void decodesTheMedianEstimatesOfTheLargestAsRecomputedInDouble() {
        Random r = new Random(51);
        int d = 300;
        int rows = 4;
        int columns = 40;
        ModelSpec spec = TopKCodecTest.vector(d);
        for (int trial = 0; trial < 10; trial++) {
            float[] v = new float[d];
            for (int i = 0; i < d; i++) {
                v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
            }
            UpdateCodec codec = new CountSketchCodec(25, rows, columns).forParticipant(trial);
            float[] back = codec.decode(MemorySegment.ofArray(codec.encode(new Tensors(spec, v), Map.of())), spec)
                    .values().values();
            assertArrayEquals(codec.reconstruct(new Tensors(spec, v)).values(), back);
            int[][] h = hashes(trial, rows, columns, d);
            double[] table = new double[rows * columns];
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < d; i++) {
                    table[j * columns + h[j * d + i][0]] += h[j * d + i][1] * (double) v[i];
                }
            }
            double[] estimate = new double[d];
            for (int i = 0; i < d; i++) {
                double[] perRow = new double[rows];
                for (int j = 0; j < rows; j++) {
                    perRow[j] = h[j * d + i][1] * table[j * columns + h[j * d + i][0]];
                }
                Arrays.sort(perRow);
                estimate[i] = perRow[1]; // the lower middle of 4
            }
            int[] largest = IntStream.range(0, d).boxed().sorted(Comparator.<Integer>comparingDouble(
                    i -> -Math.abs((float) estimate[i])).thenComparing(i -> i)).limit(25).mapToInt(i -> i).toArray();
            float[] expected = new float[d];
            for (int i : largest) {
                expected[i] = (float) estimate[i];
            }
            assertArrayEquals(expected, back, 1e-5f, "trial " + trial);
        }
    }

    @Test
    void recoversSparseHeavyHittersExactly() {
        // 10 non-zero coordinates among 100,000 in a 5 x 1000 sketch: each is alone in its column in most rows, so
        // the median is its exact value, and the 10 largest estimates are those coordinates.
        int d = 100_000;
        Random r = new Random(52);
        float[] v = new float[d];
        for (int n = 0; n < 10; n++) {
            v[r.nextInt(d)] = (float) (1 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
        }
        ModelSpec spec = TopKCodecTest.vector(d);
        float[] back = new CountSketchCodec(10, 5, 1000).forParticipant(SEED).reconstruct(new Tensors(spec, v))
                .values();
        assertArrayEquals(v, back);
    }

    @Test
    void aOneRowEstimateIsUnbiasedWithTheCountSketchVariance() {
        // r = 1, k = d: the decoded value is the raw estimate s(i) S[h(i)], with E = x_i and
        // Var = sum_{l != i} x_l^2 / c over the hashes. 4,000 seeds, six standard errors.
        int d = 20;
        int columns = 8;
        Random r = new Random(53);
        float[] v = new float[d];
        double squares = 0;
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
            squares += (double) v[i] * v[i];
        }
        ModelSpec spec = TopKCodecTest.vector(d);
        int draws = 4000;
        double[] mean = new double[d];
        for (int seed = 0; seed < draws; seed++) {
            float[] q = new CountSketchCodec(d, 1, columns).forParticipant(seed).reconstruct(new Tensors(spec, v))
                    .values();
            for (int i = 0; i < d; i++) {
                mean[i] += q[i] / (double) draws;
            }
        }
        for (int i = 0; i < d; i++) {
            double sd = Math.sqrt((squares - (double) v[i] * v[i]) / columns);
            assertEquals(v[i], mean[i], 6 * sd / Math.sqrt(draws), "coordinate " + i);
        }
    }

    @Test
    void refusesHostileFramesAndNeedsItsSeed() {
        ModelSpec spec = TopKCodecTest.vector(4);
        UpdateCodec codec = new CountSketchCodec(2, 1, 2).forParticipant(SEED);
        assertRefused(codec, spec, frame(new float[] {1}), "has 8 bytes, 4 found");
        assertRefused(codec, spec, frame(new float[] {1, Float.NaN}), "cell 1 is NaN");
        assertThrows(IllegalStateException.class, () -> new CountSketchCodec(2, 1, 2).encode(new Tensors(spec,
                new float[4]), Map.of()));
        for (var bad : List.<Map<String, Object>>of(Map.of(), Map.of("columns", 0), Map.of("columns", 8, "rows", 0),
                Map.of("columns", 8, "rows", 32))) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> UpdateCodecs.configure("countsketch", 0.1, bad)).getMessage();
            assertTrue(message.startsWith("update.params"), bad + ": " + message);
        }
        assertEquals(Map.of("columns", 8.0, "rows", 5.0),
                UpdateCodecs.configure("countsketch", 0.1, Map.of("columns", 8)).params());
    }

    private static void assertRefused(UpdateCodec codec, ModelSpec spec, byte[] frame, String detail) {
        InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                () -> codec.decode(MemorySegment.ofArray(frame), spec));
        assertEquals("malformed-frame", e.reason());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static byte[] frame(float[] cells) {
        return UpdateFrame.write(CountSketchCodec.NAME, 4, Map.of(), 4 * cells.length, out -> {
            for (float c : cells) {
                out.putFloat(c);
            }
        });
    }
}
