package dev.hansa.aggregation.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsTest {

    private static final ModelSpec SPEC = ModelSpec.of(
            new TensorSpec("fc1.weight", new int[] {2, 3}),
            new TensorSpec("fc1.bias", new int[] {2}));

    /** One valid entry of one F32 value, for headers built around it. */
    private static final String ONE = "\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]";

    private static Tensors sample() {
        return new Tensors(SPEC, new float[] {1, 2, 3, 4, 5, 6, -0.5f, 0.25f});
    }

    /** Builds a file by hand from a header string and raw little-endian floats: independent of the writer. */
    private static byte[] file(String header, float... data) {
        return file(header.getBytes(StandardCharsets.UTF_8), data);
    }

    private static byte[] file(byte[] json, float... data) {
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] concat(String... hexOrText) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : hexOrText) {
            out.writeBytes(part.startsWith("0x") ? HexFormat.of().parseHex(part.substring(2))
                    : part.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
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
    void readsFromMemoryOutsideTheHeapAsFromAnArray() {
        byte[] bytes = Safetensors.write(sample(), Map.of("k", "v"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, offHeap, ValueLayout.JAVA_BYTE, 0, bytes.length);
            Safetensors.Contents c = Safetensors.read(offHeap, SPEC);
            assertArrayEquals(sample().values(), c.tensors().values());
            assertEquals(Map.of("k", "v"), c.metadata());
            assertArrayEquals(sample().values(), Safetensors.read(offHeap).tensors().values());
            InvalidTensorsException cut = assertThrows(InvalidTensorsException.class,
                    () -> Safetensors.read(offHeap.asSlice(0, bytes.length - 4), SPEC));
            assertTrue(cut.getMessage().contains("tensor data covers 32 bytes but the body carries 28"), cut.getMessage());
        }
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
    class ReadsFilesOfThePythonLibrary {

        /**
         * Written by Python's safetensors 0.8.0 (the reference, which sorts tensors by name):
         * {@code safetensors.numpy.save({"fc1.weight": np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5,
         * "fc1.bias": np.array([-0.5, 0.25], dtype=np.float32)}, metadata={"num_samples": "600"}).hex()}.
         */
        private static final String MLP_LAYER = "a8000000000000007b225f5f6d657461646174615f5f223a7b226e756d5f73616d"
                + "706c6573223a22363030227d2c226663312e62696173223a7b226474797065223a22463332222c227368617065223a5b"
                + "325d2c22646174615f6f666673657473223a5b302c385d7d2c226663312e776569676874223a7b226474797065223a22"
                + "463332222c227368617065223a5b322c335d2c22646174615f6f666673657473223a5b382c33325d7d7d202020202000"
                + "0000bf0000803e000000000000003f0000803f0000c03f0000004000002040";

        /**
         * Same library: a zero-sized tensor, a scalar, extreme floats and metadata with non-ASCII text and JSON
         * escapes: {@code save({"empty": np.zeros((2, 0), np.float32), "scalar": np.array(3.5, np.float32),
         * "w": np.array([[1e-45, -0.0], [np.inf, 3.4028235e38]], np.float32)},
         * metadata={"note": "café ✓ 😀 \"q\" \\ \n\t\u0001"}).hex()}.
         */
        private static final String EDGE_CASES = "f0000000000000007b225f5f6d657461646174615f5f223a7b226e6f7465223a22"
                + "636166c3a920e29c9320f09f9880205c22715c22205c5c205c6e5c745c7530303031227d2c22656d707479223a7b2264"
                + "74797065223a22463332222c227368617065223a5b322c305d2c22646174615f6f666673657473223a5b302c305d7d2c"
                + "227363616c6172223a7b226474797065223a22463332222c227368617065223a5b5d2c22646174615f6f666673657473"
                + "223a5b302c345d7d2c2277223a7b226474797065223a22463332222c227368617065223a5b322c325d2c22646174615f"
                + "6f666673657473223a5b342c32305d7d7d2020202020200000604001000000000000800000807fffff7f7f";

        @Test
        void aLayerWithMetadata() {
            Safetensors.Contents c = Safetensors.read(HexFormat.of().parseHex(MLP_LAYER), SPEC);
            assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f, -0.5f, 0.25f}, c.tensors().values());
            assertEquals(Map.of("num_samples", "600"), c.metadata());
        }

        @Test
        void zeroSizedAndScalarTensorsExtremeValuesAndEscapedText() {
            Safetensors.Contents c = Safetensors.read(HexFormat.of().parseHex(EDGE_CASES));
            assertEquals(List.of(new TensorSpec("empty", new int[] {2, 0}), new TensorSpec("scalar", new int[0]),
                    new TensorSpec("w", new int[] {2, 2})), c.tensors().spec().tensors());
            assertArrayEquals(new int[] {Float.floatToRawIntBits(3.5f), 1, Float.floatToRawIntBits(-0.0f),
                    Float.floatToRawIntBits(Float.POSITIVE_INFINITY), Float.floatToRawIntBits(Float.MAX_VALUE)},
                    rawBits(c.tensors().values()));
            assertEquals(Map.of("note", "café ✓ \uD83D\uDE00 \"q\" \\ \n\t\u0001"), c.metadata());
        }

        private static int[] rawBits(float[] values) {
            int[] bits = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                bits[i] = Float.floatToRawIntBits(values[i]);
            }
            return bits;
        }
    }

    @Nested
    class AcceptsWhatTheFormatAllows {

        @Test
        void spacePaddingAfterTheObject() {
            assertEquals(7, Safetensors.read(file("{\"a\":{" + ONE + "}}       ", 7)).tensors().values()[0]);
        }

        @Test
        void whitespaceBetweenTokens() {
            String header = "{\n  \"a\" : {\"dtype\" :\t\"F32\", \"shape\": [ 1 ],\r\n \"data_offsets\": [0, 4]}\n}";
            assertEquals(7, Safetensors.read(file(header, 7)).tensors().values()[0]);
        }

        @Test
        void zeroSizedTensorsAtEitherEndAndTiesInHeaderOrder() {
            String header = "{\"z2\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                    + "\"end\":{\"dtype\":\"F32\",\"shape\":[3,0,2],\"data_offsets\":[4,4]},"
                    + "\"a\":{" + ONE + "},"
                    + "\"z1\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}";
            ModelSpec spec = Safetensors.read(file(header, 7)).tensors().spec();
            assertEquals(List.of("z2", "z1", "a", "end"), spec.names());
        }

        @Test
        void emptyMetadataAndEscapedNames() {
            Safetensors.Contents c = Safetensors.read(file("{\"__metadata__\":{},\"\\u0061\":{" + ONE + "}}", 7));
            assertEquals(Map.of(), c.metadata());
            assertEquals(List.of("a"), c.tensors().spec().names());
        }
    }

    @Nested
    class RejectsUntrustedInput {

        private InvalidTensorsException refusal(byte[] bytes) {
            return assertThrows(InvalidTensorsException.class, () -> Safetensors.read(bytes));
        }

        /** Refused as malformed with a message containing {@code says}. */
        private void malformed(byte[] bytes, String says) {
            InvalidTensorsException e = refusal(bytes);
            assertEquals("malformed-safetensors", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(says), () -> "message '" + e.getMessage() + "' lacks '" + says + "'");
        }

        private String reasonOf(byte[] bytes) {
            return assertThrows(InvalidTensorsException.class, () -> Safetensors.read(bytes, SPEC)).reason();
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 3, 7})
        void shorterThanTheLengthField(int length) {
            malformed(new byte[length], "shorter than the 8-byte header length");
        }

        @Test
        void headerLengthBeyondBody() {
            byte[] bytes = Safetensors.write(sample(), Map.of());
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 20);
            malformed(bytes, "runs past the end");
        }

        @ParameterizedTest
        @ValueSource(longs = {100_000_001L, 1L << 40, -1L, Long.MIN_VALUE})
        void headerLengthAboveTheLimitAsUnsignedNumber(long length) {
            byte[] bytes = Safetensors.write(sample(), Map.of());
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
            malformed(bytes, Long.toUnsignedString(length) + " exceeds the limit of 100000000 bytes");
        }

        @Test
        void emptyHeader() {
            malformed(file(""), "the header must start with '{'; it is empty");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0xff", "0xc0af", "0xeda080", "0xf4908080", "0xe29c"})
        void invalidUtf8Anywhere(String bytes) {
            // 0xff never occurs in UTF-8; c0 af is an overlong '/'; ed a0 80 an encoded surrogate (CESU-8);
            // f4 90 80 80 lies above U+10FFFF; e2 9c is a truncated sequence at the end of the header.
            byte[] inString = concat("{\"__metadata__\":{\"k\":\"", bytes, "\"},\"a\":{" + ONE + "}}");
            malformed(file(inString, 1), "not valid UTF-8 (at byte 22 of the header)");
            malformed(file(concat("{\"a\":{" + ONE + "}}", bytes), 1), "not valid UTF-8");
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "\n", "0xefbbbf", "["})
        void headerThatDoesNotStartWithABrace(String prefix) {
            // Leading space or newline (Python's reader accepts these), a byte order mark, an array.
            malformed(file(concat(prefix, "{\"a\":{" + ONE + "}}"), 1), "the header must start with '{'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\n", "\t", "\r", "0x00", "x", "{}", "  , "})
        void anythingButSpacesAfterTheObject(String tail) {
            malformed(file(concat("{\"a\":{" + ONE + "}}  ", tail), 1), "only space padding (0x20)");
        }

        @Test
        void headerNotJson() {
            malformed(file("{not json", 1f), "not valid JSON");
            malformed(file("{\"a\":{" + ONE + "}", 1f), "not valid JSON");
            malformed(file("{\"a\":{" + ONE + "},}", 1f), "not valid JSON");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[NaN],\"data_offsets\":[0,4]}}", 1f), "not valid JSON");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", 1f), "not valid JSON");
        }

        @Test
        void escapesWithANonAsciiCharacterForAHexDigit() {
            // Found by comparing with Python's safetensors: an escape of three hex digits followed by U+0463, whose
            // low seven bits are 'c', read as U+00EC when the header was parsed from a String.
            malformed(file("{\"__metadata__\":{\"k\":\"\\u00e\u0463\"},\"a\":{" + ONE + "}}", 1),
                    "not valid JSON: Unexpected character");
        }

        @Test
        void duplicateTensorNames() {
            // Jackson's tree and Python's reference both keep one of the two silently.
            malformed(file("{\"a\":{" + ONE + "},\"a\":{" + ONE + "}}", 1), "tensor 'a' appears twice");
        }

        @Test
        void duplicateMetadata() {
            malformed(file("{\"__metadata__\":{},\"a\":{" + ONE + "},\"__metadata__\":{}}", 1),
                    "__metadata__ appears twice");
            malformed(file("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"},\"a\":{" + ONE + "}}", 1),
                    "__metadata__ key 'k' appears twice");
        }

        @Test
        void duplicateFieldInAnEntry() {
            malformed(file("{\"a\":{\"dtype\":\"F32\"," + ONE + "}}", 1), "tensor 'a' has field dtype twice");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.0", "1e0", "1E0", "0.1e1", "\"1\"", "true", "null", "[1]", "{}"})
        void dimensionsThatAreNotPlainIntegers(String dim) {
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + dim + "],\"data_offsets\":[0,4]}}", 1),
                    "tensor 'a' shape must hold non-negative integers without fraction or exponent");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[-0,4]", "[0,-4]", "[0.0,4]", "[0,4e0]", "[\"0\",4]"})
        void offsetsThatAreNotPlainNonNegativeIntegers(String offsets) {
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + offsets + "}}", 1),
                    "tensor 'a' data_offsets");
        }

        @Test
        void negativeZeroAndNegativeDimensions() {
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,-0],\"data_offsets\":[0,0]}}"),
                    "holds the negative number -0");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 1, 2),
                    "holds the negative number -2");
        }

        @Test
        void hugeNumbers() {
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}}", 1),
                    "beyond the largest allowed value");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0,2147483648],\"data_offsets\":[0,0]}}"),
                    "dimension 2147483648, above Hansa's limit of 2147483647");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1" + "0".repeat(40) + "],\"data_offsets\":[0,4]}}", 1),
                    "not valid JSON");
        }

        @Test
        void elementCountOverflow() {
            // The product overflows a long; the reference reports ValidationOverflow for the same file.
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647,2147483647,2],"
                    + "\"data_offsets\":[0,4]}}", 1), "more than 2147483639 elements");
        }

        @Test
        void offsetArithmeticNearLongMax() {
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[9223372036854775807,"
                    + "9223372036854775807]}}", 1), "do not hold its 1 F32 values");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[9223372036854775807,"
                    + "9223372036854775807]}}", 1), "data starts at 9223372036854775807, expected 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"x\":1", "\"dtypes\":\"F32\"", "\"byte_order\":\"big\""})
        void unknownFieldInAnEntry(String field) {
            malformed(file("{\"a\":{" + ONE + "," + field + "}}", 1), "has an unknown field");
        }

        @Test
        void missingFields() {
            malformed(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 1), "tensor 'a' lacks dtype");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 1), "tensor 'a' lacks shape");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 1), "tensor 'a' lacks data_offsets");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 1), "holds 1");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,4]}}", 1), "holds more");
            malformed(file("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 1), "dtype must be a string");
            malformed(file("{\"a\":null}", 1), "entry 'a' must be an object");
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", 1), "shape must be an array");
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "[]", "\"x\"", "{\"k\":1}", "{\"k\":{}}", "{\"k\":[\"v\"]}", "{\"k\":null}"})
        void metadataThatIsNotAFlatStringMap(String metadata) {
            // Python's reference accepts null here (no metadata); the format says a string-to-string map.
            malformed(file("{\"__metadata__\":" + metadata + ",\"a\":{" + ONE + "}}", 1), "__metadata__");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"\\ud800\":\"v\"}", "{\"k\":\"\\udc00\"}", "{\"k\":\"x\\ud83dy\"}"})
        void metadataWithUnpairedSurrogateEscapes(String metadata) {
            InvalidTensorsException e = refusal(file("{\"__metadata__\":" + metadata + ",\"a\":{" + ONE + "}}", 1));
            assertEquals("malformed-safetensors", e.reason());
            // In a name Jackson's byte parser refuses it itself ("Broken surrogate pair"), in a value Hansa does.
            assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
            assertTrue(e.getMessage().codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE),
                    "the message itself must be valid Unicode");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "é", "a b", "a\\\"b", "a\\\\b", "__metadata__x\\u0000"})
        void tensorNamesOutsideHansasRule(String name) {
            malformed(file("{\"" + name + "\":{" + ONE + "}}", 1), "is not allowed: 1 to 256 characters");
        }

        @Test
        void longNamesAreRefusedWithAShortMessage() {
            malformed(file("{\"" + "a".repeat(257) + "\":{" + ONE + "}}", 1), "is not allowed");
            InvalidTensorsException e = refusal(file("{\"" + "é".repeat(1_000_000) + "\":{" + ONE + "}}", 1));
            assertTrue(e.getMessage().length() < 300, () -> e.getMessage().length() + " characters");
        }

        @Test
        void noTensors() {
            malformed(file("{}"), "lists no tensors");
            malformed(file("{\"__metadata__\":{\"k\":\"v\"}}"), "lists no tensors");
        }

        @Test
        void truncatedData() {
            byte[] bytes = Safetensors.write(sample(), Map.of());
            malformed(Arrays.copyOf(bytes, bytes.length - 4), "covers 32 bytes but the body carries 28");
        }

        @Test
        void bytesAfterTheLastTensor() {
            // A polyglot file would hide another format there.
            byte[] bytes = Safetensors.write(sample(), Map.of());
            malformed(Arrays.copyOf(bytes, bytes.length + 1), "covers 32 bytes but the body carries 33");
        }

        @Test
        void overlappingRegions() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[4,28]}}";
            malformed(file(header, new float[7]), "data starts at 4, expected 8");
        }

        @Test
        void gapBetweenRegions() {
            String header = "{\"a\":{" + ONE + "},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
            malformed(file(header, 1, 2, 3), "data starts at 8, expected 4");
        }

        @Test
        void zeroSizedTensorInsideAnotherRegion() {
            // The reference sorts by (begin, end) and refuses this too (InvalidOffset).
            String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    + "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
            malformed(file(header, 1, 2), "tensor 'z' data starts at 4, expected 8");
        }

        @Test
        void offsetsThatDisagreeWithShape() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
            assertEquals("malformed-safetensors", reasonOf(file(header, 1, 2)));
            malformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 1), "do not hold");
        }

        @Test
        void otherDtype() {
            String header = "{\"fc1.bias\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
            assertEquals("unsupported-dtype", reasonOf(file(header, 1)));
            assertEquals("unsupported-dtype", reasonOf(file(header.replace("F16", "f32"), 1)));
            // Found by SafetensorsFuzzTest: the message quoted an unpaired surrogate escape from the file verbatim.
            InvalidTensorsException e = refusal(file(header.replace("F16", "F\\ude00"), 1));
            assertEquals("unsupported-dtype", e.reason());
            assertTrue(e.getMessage().contains("has dtype 'F\uFFFD'"), e.getMessage());
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
    }

    @Nested
    class Writer {

        @Test
        void outputReadsBackBitForBitForRandomModels() {
            SplittableRandom random = new SplittableRandom(20261124);
            for (int trial = 0; trial < 200; trial++) {
                Tensors weights = RandomTensors.weights(random);
                Map<String, String> metadata = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    metadata.put(RandomTensors.text(random), RandomTensors.text(random));
                }
                byte[] bytes = Safetensors.write(weights, metadata);
                Safetensors.Contents back = Safetensors.read(bytes);
                assertEquals(weights.spec(), back.tensors().spec());
                assertEquals(metadata, back.metadata());
                assertTrue(RandomTensors.sameBits(weights.values(), back.tensors().values()));
                assertArrayEquals(bytes, Safetensors.write(back.tensors(), back.metadata()));
            }
        }

        @Test
        void refusesMetadataThatHasNoUtf8Form() {
            Tensors w = Tensors.zeros(SPEC);
            assertThrows(IllegalArgumentException.class, () -> Safetensors.write(w, Map.of("k", "\uD800")));
            assertThrows(IllegalArgumentException.class, () -> Safetensors.write(w, Map.of("\uDC00", "v")));
            assertFalse(Safetensors.read(Safetensors.write(w, Map.of("k", "\uD83D\uDE00"))).metadata().isEmpty());
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
