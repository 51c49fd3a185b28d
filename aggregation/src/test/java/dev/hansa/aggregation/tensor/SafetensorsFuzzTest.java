package dev.hansa.aggregation.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the safetensors codec (Jazzer). In the normal build each target runs once on every
 * file under {@code SafetensorsFuzzTestInputs} (regression mode); docs/testing.md has the command that fuzzes.
 *
 * <p>The property: for any bytes, {@link Safetensors#read} either returns contents that re-encode consistently or
 * throws {@link InvalidTensorsException}; nothing else escapes (another exception fails the run), a read allocates
 * memory in proportion to its input (so no small input can end in an {@link OutOfMemoryError}), and libFuzzer
 * reports an input that takes longer than its {@code -timeout}.
 */
class SafetensorsFuzzTest {

    private static final Set<String> READ_REASONS = Set.of("malformed-safetensors", "unsupported-dtype");
    private static final Set<String> READ_AS_REASONS = Set.of("malformed-safetensors", "unsupported-dtype",
            "unexpected-tensor", "shape-mismatch", "missing-tensor");
    /** Memory a read allocates must stay proportional to its input: an OutOfMemoryError needs no huge input. */
    private static final ThreadMXBean ALLOCATIONS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
    /** A model that fuzzed files are also read against, as the server reads uploads. */
    private static final ModelSpec MODEL = ModelSpec.of(new TensorSpec("w", new int[] {2}),
            new TensorSpec("b", new int[0]));

    /** Raw bytes: the input is the whole file, header length field included. */
    @FuzzTest
    @DictionaryEntries({"\"dtype\"", "\"F32\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\\u"})
    void readIsTotal(byte[] input) {
        checkRead(input);
    }

    /**
     * The same property on files whose length field always matches: the input up to its last {@code '}'} and the
     * spaces after it is the header, the rest is the data. Mutations then explore the JSON instead of mostly
     * breaking the length field.
     */
    @FuzzTest
    @DictionaryEntries({"\"dtype\"", "\"F32\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\\u"})
    void readIsTotalOnFramedHeaders(byte[] input) {
        checkRead(frame(input));
    }

    /** The file {@link #readIsTotalOnFramedHeaders} reads for {@code input}. */
    static byte[] frame(byte[] input) {
        int split = input.length;
        for (int i = input.length - 1; i >= 0; i--) {
            if (input[i] == '}') {
                split = i + 1;
                while (split < input.length && input[split] == ' ') {
                    split++;
                }
                break;
            }
        }
        ByteBuffer file = ByteBuffer.allocate(8 + input.length).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(split).put(input);
        return file.array();
    }

    /** The writer's output always reads back to the same names, shapes, metadata and value bits. */
    @FuzzTest
    void writeThenReadIsIdentity(FuzzedDataProvider data) {
        List<TensorSpec> specs = new ArrayList<>();
        for (int t = data.consumeInt(1, 4); t > 0; t--) {
            String name = data.consumeString(20);
            int[] shape = new int[data.consumeInt(0, 3)];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = data.consumeInt(0, 5);
            }
            if (TensorSpec.isValidName(name) && specs.stream().noneMatch(s -> s.name().equals(name))) {
                specs.add(new TensorSpec(name, shape));
            }
        }
        if (specs.isEmpty()) {
            specs.add(new TensorSpec("t", new int[] {1}));
        }
        ModelSpec spec = new ModelSpec(specs);
        float[] values = new float[spec.parameterCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(data.consumeInt());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int m = data.consumeInt(0, 3); m > 0; m--) {
            metadata.put(data.consumeString(16), data.consumeString(32));
        }
        Tensors weights = new Tensors(spec, values);
        byte[] bytes;
        try {
            bytes = Safetensors.write(weights, metadata);
        } catch (IllegalArgumentException e) {
            // Only metadata without a UTF-8 form (an unpaired surrogate) may be refused at this size.
            assertTrue(metadata.entrySet().stream().anyMatch(
                    m -> !SafetensorsHeader.isWellFormed(m.getKey()) || !SafetensorsHeader.isWellFormed(m.getValue())),
                    e::getMessage);
            return;
        }
        Safetensors.Contents back = Safetensors.read(bytes);
        assertEquals(spec, back.tensors().spec());
        assertEquals(metadata, back.metadata());
        assertTrue(RandomTensors.sameBits(values, back.tensors().values()));
    }

    private static void checkRead(byte[] input) {
        try {
            assertEquals(MODEL, Safetensors.read(input, MODEL).tensors().spec());
        } catch (InvalidTensorsException e) {
            checkRefusal(e, READ_AS_REASONS);
        }
        Safetensors.Contents contents;
        long allocatedBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        try {
            contents = Safetensors.read(input);
        } catch (InvalidTensorsException e) {
            checkRefusal(e, READ_REASONS);
            return;
        } finally {
            // Loading a class allocates in the loading thread (much more under the fuzzer's instrumentation).
            long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertTrue(allocated <= 64L * input.length + (16 << 20)
                            || CLASSES.getTotalLoadedClassCount() != classesBefore,
                    () -> allocated + " bytes allocated to read " + input.length);
        }
        checkAccepted(input, contents);
    }

    private static void checkRefusal(InvalidTensorsException e, Set<String> reasons) {
        assertTrue(reasons.contains(e.reason()), e.reason());
        String message = e.getMessage();
        assertTrue(message != null && !message.isBlank() && message.length() < 2000, "message: " + message);
        assertTrue(SafetensorsHeader.isWellFormed(message), "the message must be valid Unicode");
    }

    /**
     * An accepted file: its data region, read here independently of the codec, holds exactly the returned values
     * (regions tile it in data order), and writing the contents and reading them back changes nothing.
     */
    private static void checkAccepted(byte[] input, Safetensors.Contents contents) {
        float[] values = contents.tensors().values();
        long dataStart = 8 + ByteBuffer.wrap(input, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(input.length - dataStart, 4L * values.length);
        ByteBuffer data = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            if (Float.floatToRawIntBits(values[i]) != data.getInt((int) dataStart + 4 * i)) {
                fail("value " + i + " differs from the file's bits");
            }
        }
        ModelSpec spec = contents.tensors().spec();
        assertTrue(RandomTensors.sameBits(values, Safetensors.read(input, spec).tensors().values()));

        byte[] again = Safetensors.write(contents.tensors(), contents.metadata());
        Safetensors.Contents back = Safetensors.read(again);
        assertEquals(spec, back.tensors().spec());
        assertEquals(contents.metadata(), back.metadata());
        assertTrue(RandomTensors.sameBits(values, back.tensors().values()), "values changed in a round trip");
        assertArrayEquals(again, Safetensors.write(back.tensors(), back.metadata()), "the writer is not canonical");
    }
}
