package dev.hansa.aggregation.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SafetensorsTest {

    private static final ModelSpec SPEC = ModelSpec.of(
            new TensorSpec("fc1.weight", new int[] {2, 3}),
            new TensorSpec("fc1.bias", new int[] {2}));

    private static Tensors sample() {
        return new Tensors(SPEC, new float[] {1, 2, 3, 4, 5, 6, -0.5f, 0.25f});
    }

    /** Builds a file by hand from a header string and raw little-endian floats: independent of the writer. */
    private static byte[] file(String header, float... data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void knownAnswerLayout() {
        byte[] bytes = Safetensors.write(Tensors.zeros(ModelSpec.of(new TensorSpec("x", new int[] {1}))), Map.of());
        // {"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} is 54 bytes, padded with 2 spaces to 56.
        String expectedHeader = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}  ";
        assertEquals(8 + 56 + 4, bytes.length);
        assertEquals("3800000000000000", HexFormat.of().formatHex(bytes, 0, 8));
        assertEquals(expectedHeader, new String(bytes, 8, 56, StandardCharsets.UTF_8));
    }

    @Test
    void sizeIsTheLengthOfTheWrittenFileWithoutWritingIt() {
        // {"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} is 54 bytes, padded to 56: 8 + 56 + 4 (see above).
        assertEquals(68, Safetensors.size(ModelSpec.of(new TensorSpec("x", new int[] {1})), Map.of()));
        Map<String, String> meta = Map.of("num_samples", "600", "train_loss", "0.4183749217");
        assertEquals(Safetensors.write(sample(), meta).length, Safetensors.size(SPEC, meta));
    }

    @Test
    void roundTripKeepsValuesAndMetadata() {
        byte[] bytes = Safetensors.write(sample(), Map.of("num_samples", "600"));
        Safetensors.Contents c = Safetensors.read(bytes, SPEC);
        assertArrayEquals(sample().values(), c.tensors().values());
        assertEquals(Map.of("num_samples", "600"), c.metadata());
        assertEquals(SPEC, Safetensors.read(bytes).tensors().spec());
    }

    @Test
    void readsTensorsInAnyFileOrderIntoSpecOrder() {
        String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]}}";
        byte[] bytes = file(header, -0.5f, 0.25f, 1, 2, 3, 4, 5, 6);
        assertArrayEquals(sample().values(), Safetensors.read(bytes, SPEC).tensors().values());
    }

    @Nested
    class RejectsUntrustedInput {

        private String reasonOf(byte[] bytes) {
            return assertThrows(InvalidTensorsException.class, () -> Safetensors.read(bytes, SPEC)).reason();
        }

        @Test
        void tooShort() {
            assertEquals("malformed-safetensors", reasonOf(new byte[3]));
        }

        @Test
        void headerLengthBeyondBody() {
            byte[] bytes = Safetensors.write(sample(), Map.of());
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
            assertEquals("malformed-safetensors", reasonOf(bytes));
        }

        @Test
        void headerNotJson() {
            assertEquals("malformed-safetensors", reasonOf(file("{not json", 1f)));
        }

        @Test
        void truncatedData() {
            byte[] bytes = Safetensors.write(sample(), Map.of());
            assertEquals("malformed-safetensors", reasonOf(java.util.Arrays.copyOf(bytes, bytes.length - 4)));
        }

        @Test
        void overlappingRegions() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[4,28]}}";
            assertEquals("malformed-safetensors", reasonOf(file(header, new float[7])));
        }

        @Test
        void offsetsThatDisagreeWithShape() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
            assertEquals("malformed-safetensors", reasonOf(file(header, 1, 2)));
        }

        @Test
        void otherDtype() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
            assertEquals("unsupported-dtype", reasonOf(file(header, 1)));
        }

        @Test
        void wrongShape() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[8,32]}}";
            assertEquals("shape-mismatch", reasonOf(file(header, new float[8])));
        }

        @Test
        void missingTensor() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
            assertEquals("missing-tensor", reasonOf(file(header, 1, 2)));
        }

        @Test
        void unexpectedTensor() {
            String header = "{\"fc2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
            assertEquals("unexpected-tensor", reasonOf(file(header, 1, 2)));
        }

        @Test
        void nonStringMetadata() {
            String header = "{\"__metadata__\":{\"num_samples\":5},"
                    + "\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
            assertEquals("malformed-safetensors", reasonOf(file(header, 1, 2)));
        }

        @Test
        void negativeDimension() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}";
            assertEquals("malformed-safetensors", reasonOf(file(header, 1, 2)));
        }
    }

    @Test
    void firstNonFiniteNamesTheTensor() {
        Tensors w = sample().copy();
        w.values()[7] = Float.NaN;
        assertEquals(7, w.firstNonFinite());
        assertEquals("fc1.bias", w.tensorAt(7));
    }
}
