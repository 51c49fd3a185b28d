package dev.hansa.aggregation.update.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.random.Philox;
import dev.hansa.aggregation.random.PythonReference;
import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QsgdCodecTest {

    private static final long SEED = 0x12345678deadbeefL;

    @Test
    void matchesTheTestVectorInTheProtocol() {
        // One bucket {3, -4, 0}, norm 5, s = 5: r = 3, 4, 0 exactly, so no rounding; codes 8, 1, 5 in 4 bits.
        ModelSpec spec = TopKCodecTest.vector(3);
        UpdateCodec codec = new QsgdCodec(5, 512).forParticipant(SEED);
        byte[] bytes = codec.encode(new Tensors(spec, new float[] {3, -4, 0}), TopKCodecTest.META);
        assertEquals("48554601" + "04" + "71736764" + "03000000" + "0100" + "0b00" + "6e756d5f73616d706c6573"
                + "0100" + "37" + "06000000" + "0000a040" + "1805", HexFormat.of().formatHex(bytes));
        assertArrayEquals(new float[] {3, -4, 0}, codec.decode(MemorySegment.ofArray(bytes), spec).values().values());
    }

    @Test
    void perTensorLevelsMatchTheirTestVectorInTheProtocol() {
        // w {3, -4} at s = 5 (norm 5, codes 8 and 1 in 4 bits), b {1} at s = 1 (norm 1, r = 1: code 2 in 2 bits).
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {2}), new TensorSpec("b", new int[] {1}));
        UpdateCodec codec = QsgdCodec.perTensor(5, 512, Map.of("b", 1)).forParticipant(SEED);
        byte[] bytes = codec.encode(new Tensors(spec, new float[] {3, -4, 1}), TopKCodecTest.META);
        assertEquals("48554601" + "04" + "71736764" + "03000000" + "0100" + "0b00" + "6e756d5f73616d706c6573"
                + "0100" + "37" + "0a000000" + "0000a040" + "0000803f" + "1802", HexFormat.of().formatHex(bytes));
        assertArrayEquals(new float[] {3, -4, 1}, codec.decode(MemorySegment.ofArray(bytes), spec).values().values());
        // Read at 2 bits per code, as a plan of s = 1 everywhere would, the payload is a byte too long.
        assertRefused(new QsgdCodec(1, 512).forParticipant(SEED), spec, bytes, "a qsgd payload");
    }

    @Test
    void levelsAreTheTwoNeighboursOfTheScaledValueChosenByTheParticipantsWords() {
        // Independent recomputation in double: bucket norms, r = |v| s / n, and the rounding word of each index.
        Random r = new Random(11);
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {37, 3}), new TensorSpec("b", new int[] {5}));
        int d = spec.parameterCount();
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) (r.nextGaussian() * Math.exp(r.nextGaussian()));
        }
        int s = 3;
        int bucket = 16;
        float[] back = decode(new QsgdCodec(s, bucket).forParticipant(SEED), spec, v);
        Philox words = Philox.stream(SEED, QsgdCodec.STREAM);
        int[][] ranges = {{0, 16}, {16, 32}, {32, 48}, {48, 64}, {64, 80}, {80, 96}, {96, 111}, {111, 116}};
        for (int[] range : ranges) {
            double sum = 0;
            for (int i = range[0]; i < range[1]; i++) {
                sum += (double) v[i] * v[i];
            }
            double norm = Math.sqrt(sum);
            for (int i = range[0]; i < range[1]; i++) {
                double scaled = Math.abs(v[i]) * s / norm;
                double low = Math.floor(scaled);
                double u = Integer.toUnsignedLong(words.nextWord()) * 0x1p-32;
                double level = u < scaled - low ? low + 1 : low;
                assertEquals(Math.signum(v[i]) * norm * level / s, back[i], 1e-6 * norm, "index " + i);
            }
        }
    }

    @Test
    void roundingWordsEqualThePythonReference() throws Exception {
        // The words that decide a participant's rounding, from the numpy-only reference of the shared streams.
        List<String> python = PythonReference.run("words", "0x" + Long.toHexString(SEED), QsgdCodec.STREAM_HEX, "8");
        Philox java = Philox.stream(SEED, QsgdCodec.STREAM);
        for (String word : python) {
            assertEquals(Integer.parseUnsignedInt(word, 16), java.nextWord());
        }
    }

    @Test
    void isUnbiasedWithTheVarianceBoundOfThePaper() {
        // E[Q(v)] = v and E||Q(v) - v||^2 <= min(d/s^2, sqrt(d)/s) ||v||^2 (QSGD, Lemma 3.1), over 20,000 seeds.
        Random r = new Random(12);
        int d = 64;
        int s = 2;
        ModelSpec spec = TopKCodecTest.vector(d);
        float[] v = new float[d];
        double squared = 0;
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
            squared += (double) v[i] * v[i];
        }
        int draws = 20_000;
        double[] mean = new double[d];
        double error = 0;
        QsgdCodec codec = new QsgdCodec(s, d);
        for (int seed = 0; seed < draws; seed++) {
            float[] q = codec.forParticipant(seed).reconstruct(new Tensors(spec, v)).values();
            for (int i = 0; i < d; i++) {
                mean[i] += q[i] / (double) draws;
                error += (q[i] - (double) v[i]) * (q[i] - (double) v[i]) / draws;
            }
        }
        // Each Q(v)_i takes two values n/s apart: its standard deviation is at most n / (2s). Six standard errors.
        double bound = 6 * Math.sqrt(squared) / (2 * s) / Math.sqrt(draws);
        for (int i = 0; i < d; i++) {
            assertEquals(v[i], mean[i], bound, "coordinate " + i);
        }
        assertTrue(error <= Math.min((double) d / (s * s), Math.sqrt(d) / s) * squared, error + " vs " + squared);
        assertTrue(error > 0.05 * squared, "a 2-level quantiser does lose something: " + error);
    }

    @Test
    void packsCodesInTheFewestBits() {
        assertEquals(2, QsgdCodec.width(1), "codes 0..2");
        assertEquals(3, QsgdCodec.width(2), "codes 0..4");
        assertEquals(4, QsgdCodec.width(7), "codes 0..14");
        assertEquals(5, QsgdCodec.width(8), "codes 0..16");
        assertEquals(16, QsgdCodec.width(QsgdCodec.MAX_LEVELS));
        ModelSpec spec = TopKCodecTest.vector(1000);
        // 1000 values at 2 bits, two buckets of 512 and 488: 250 + 8 bytes of payload.
        assertEquals(258, new QsgdCodec(1, 512).encodedSize(spec, Map.of()) - UpdateFrame.size("qsgd", Map.of(), 0));
    }

    @Test
    void refusesHostileFramesBeforeAllocating() {
        ModelSpec spec = TopKCodecTest.vector(3);
        UpdateCodec codec = new QsgdCodec(5, 512).forParticipant(SEED);
        assertRefused(codec, spec, frame(3, new float[] {5}, new byte[] {0x18}), "has 6 bytes, 5 found");
        assertRefused(codec, spec, frame(3, new float[] {Float.NaN}, new byte[] {0x18, 5}), "has norm NaN");
        assertRefused(codec, spec, frame(3, new float[] {-0f}, new byte[] {0x18, 5}), "has norm -0.0");
        assertRefused(codec, spec, frame(3, new float[] {Float.POSITIVE_INFINITY}, new byte[] {0x18, 5}),
                "has norm Infinity");
        assertRefused(codec, spec, frame(3, new float[] {5}, new byte[] {0x1b, 5}), "code 11 at parameter 0");
        assertRefused(codec, spec, frame(3, new float[] {5}, new byte[] {0x18, 0x15}), "padding bits");
        // A frame for 2^31 - 1 parameters against this model: refused on the declared count, nothing allocated.
        byte[] huge = frame(3, new float[] {5}, new byte[] {0x18, 5});
        huge[9] = (byte) 0xff;
        huge[10] = (byte) 0xff;
        huge[11] = (byte) 0xff;
        huge[12] = (byte) 0x7f;
        assertRefused(codec, spec, huge, "declares 2147483647 parameters");
    }

    @Test
    void refusesWhatItCannotEncodeAndNeedsItsSeed() {
        ModelSpec spec = TopKCodecTest.vector(2);
        UpdateCodec codec = new QsgdCodec(4, 512).forParticipant(1);
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Tensors(spec, new float[] {1, Float.NaN}),
                Map.of()));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Tensors(spec,
                new float[] {Float.MAX_VALUE, Float.MAX_VALUE}), Map.of()), "the norm overflows float32");
        assertThrows(IllegalStateException.class, () -> new QsgdCodec(4, 512).encode(new Tensors(spec, new float[2]),
                Map.of()), "unbound: no seed to round with");
        assertArrayEquals(new float[2], decode(codec, spec, new float[2]), "a zero bucket decodes to zeros");
    }

    @Test
    void parametersAreValidatedNamingTheField() {
        assertEquals(Map.of("levels", 4.0, "bucket", 512.0),
                UpdateCodecs.configure("qsgd", 0, Map.of("levels", 4)).params(), "the bucket defaults to 512");
        for (var bad : List.<Map<String, Object>>of(Map.of(), Map.of("levels", 0), Map.of("levels", 2.5),
                Map.of("levels", 4, "bucket", 0), Map.of("levels", 4, "bits", 2))) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> UpdateCodecs.configure("qsgd", 0, bad)).getMessage();
            assertTrue(message.startsWith("update.params"), bad + ": " + message);
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> UpdateCodecs.configure("topk", 0.1, Map.of("levels", 4))).getMessage()
                .startsWith("update.params: unknown field(s) [levels] for topk"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> UpdateCodecs.configure("qsgd", 0.1, Map.of("levels", 4))).getMessage().startsWith("update.k"));
    }

    private static float[] decode(UpdateCodec codec, ModelSpec spec, float[] v) {
        byte[] bytes = codec.encode(new Tensors(spec, v), Map.of());
        float[] back = codec.decode(MemorySegment.ofArray(bytes), spec).values().values();
        assertArrayEquals(codec.reconstruct(new Tensors(spec, v)).values(), back);
        return back;
    }

    private static void assertRefused(UpdateCodec codec, ModelSpec spec, byte[] frame, String detail) {
        InvalidTensorsException e = assertThrows(InvalidTensorsException.class,
                () -> codec.decode(MemorySegment.ofArray(frame), spec));
        assertEquals("malformed-frame", e.reason());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static byte[] frame(int d, float[] norms, byte[] codes) {
        return UpdateFrame.write(QsgdCodec.NAME, d, Map.of(), 4 * norms.length + codes.length, out -> {
            for (float n : norms) {
                out.putFloat(n);
            }
            out.put(codes);
        });
    }
}
