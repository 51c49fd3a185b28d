package dev.hansa.aggregation.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.Bf16Codec;
import dev.hansa.aggregation.update.codec.CountSketchCodec;
import dev.hansa.aggregation.update.codec.E3m0Codec;
import dev.hansa.aggregation.update.codec.QsgdCodec;
import dev.hansa.aggregation.update.codec.SparseLoCoCodec;
import dev.hansa.aggregation.update.codec.TopKCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodecsTest {

    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {2, 3}), new TensorSpec("b", new int[] {1}));
    static final Map<String, String> META = Map.of("num_samples", "12", "train_loss", "0.25");

    static Tensors random(long seed) {
        Random r = new Random(seed);
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
        }
        return new Tensors(SPEC, v);
    }

    static Iterable<String> codecs() {
        return UpdateCodecs.names();
    }

    /** Parameters for the codecs that require some, small enough that the 7-value model spans several chunks. */
    static final Map<String, Map<String, Object>> PARAMS = Map.of(QsgdCodec.NAME, Map.of("levels", 3, "bucket", 4),
            E3m0Codec.NAME, Map.of("bucket", 4),
            SparseLoCoCodec.NAME, Map.of("chunk", 2, "kPerChunk", 2), CountSketchCodec.NAME, Map.of("columns", 3));

    /** The codec {@code name}, keeping half the coordinates where it takes a size, bound to a participant seed. */
    static UpdateCodec codec(String name) {
        return UpdateCodecs.configure(name, UpdateCodecs.sized(name) ? 0.5 : 0, PARAMS.getOrDefault(name, Map.of()))
                .codec().forParticipant(99);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void decodingTheEncodingGivesWhatReconstructSaysAndTheMetadata(String name) {
        UpdateCodec codec = codec(name);
        for (long seed = 0; seed < 20; seed++) {
            Tensors values = random(seed);
            byte[] bytes = codec.encode(values, META);
            if (name.equals(TopKCodec.NAME)) {
                assertTrue(bytes.length <= codec.encodedSize(SPEC, META), "topk's encodedSize is a bound");
            } else {
                assertEquals(bytes.length, codec.encodedSize(SPEC, META), "encodedSize");
            }
            UpdateCodec.Decoded decoded = codec.decode(MemorySegment.ofArray(bytes), SPEC);
            assertArrayEquals(codec.reconstruct(values).values(), decoded.values().values(), name + " seed " + seed);
            assertEquals(META, decoded.metadata());
            if (codec.lossless()) {
                assertArrayEquals(values.values(), decoded.values().values());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void everyTruncationIsRefusedWithAReason(String name) {
        UpdateCodec codec = codec(name);
        byte[] bytes = codec.encode(random(1), META);
        for (int length = 0; length < bytes.length; length++) {
            MemorySegment cut = MemorySegment.ofArray(Arrays.copyOf(bytes, length));
            InvalidTensorsException e = assertThrows(InvalidTensorsException.class, () -> codec.decode(cut, SPEC),
                    name + " cut at " + length);
            assertEquals(name.equals("dense") ? "malformed-safetensors" : "malformed-frame", e.reason());
        }
    }

    @Nested
    class Bf16 {

        final Bf16Codec codec = new Bf16Codec();

        @Test
        void roundsToNearestEvenOnTheDroppedBits() {
            // 1 + 2^-8 is halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even mantissa, 1.
            assertEquals(1.0f, codec.reconstruct(of(1 + 0x1p-8f)).values()[0]);
            // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6.
            assertEquals(1 + 0x1p-6f, codec.reconstruct(of(1 + 3 * 0x1p-8f)).values()[0]);
            assertEquals(1 + 0x1p-7f, codec.reconstruct(of(1 + 0x1p-7f + 0x1p-9f)).values()[0], "below halfway");
            assertEquals(-2.5f, codec.reconstruct(of(-2.5f)).values()[0], "exactly representable");
            assertEquals(Float.MIN_NORMAL, codec.reconstruct(of(Float.MIN_NORMAL)).values()[0]);
        }

        private Tensors of(float v) {
            ModelSpec one = ModelSpec.of(new TensorSpec("x", new int[] {1}));
            return new Tensors(one, new float[] {v});
        }

        @Test
        void matchesTheTestVectorInTheProtocol() {
            ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {3}));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("num_samples", "7");
            byte[] bytes = codec.encode(new Tensors(spec, new float[] {1.0f, -0.5f, 3.14159f}), meta);
            // docs/protocol.md, "bf16" test vector.
            assertEquals("48554601" + "04" + "62663136" + "03000000" + "0100" + "0b00" + "6e756d5f73616d706c6573"
                    + "0100" + "37" + "06000000" + "803f" + "00bf" + "4940", HexFormat.of().formatHex(bytes));
        }

        @Test
        void aFrameForAnotherCodecOrModelIsRefused() {
            byte[] bytes = codec.encode(random(2), META);
            ModelSpec other = ModelSpec.of(new TensorSpec("v", new int[] {7}));
            assertEquals("malformed-frame", assertThrows(InvalidTensorsException.class,
                    () -> codec.decode(MemorySegment.ofArray(bytes), ModelSpec.of(new TensorSpec("w", new int[] {8}))))
                    .reason());
            // Same parameter count, another spec: the frame carries values only, so it decodes into the given spec.
            assertEquals(7, codec.decode(MemorySegment.ofArray(bytes), other).values().values().length);
            byte[] renamed = bytes.clone();
            renamed[6] = 'x';
            assertEquals("malformed-frame", assertThrows(InvalidTensorsException.class,
                    () -> codec.decode(MemorySegment.ofArray(renamed), SPEC)).reason());
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertEquals("malformed-frame", assertThrows(InvalidTensorsException.class,
                    () -> codec.decode(MemorySegment.ofArray(longer), SPEC)).reason());
        }
    }
}
