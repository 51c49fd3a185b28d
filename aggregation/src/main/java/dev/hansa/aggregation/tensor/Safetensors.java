package dev.hansa.aggregation.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the safetensors layout (https://huggingface.co/docs/safetensors): an unsigned little-endian
 * 8-byte header length N, N bytes of UTF-8 JSON mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} (relative to the byte after the header), an optional {@code __metadata__} string map, then the
 * data. Hansa only exchanges {@code F32} tensors.
 *
 * <p>Input is untrusted: the reader accepts exactly the files docs/protocol.md ("Tensor format") describes, which
 * is stricter than the format where the format is silent or its reference reader lenient (duplicate names, numbers
 * such as {@code 3.0}, unknown fields, anything after the JSON object but space padding). Every refusal is an
 * {@link InvalidTensorsException} with a reason code; the writer's output always reads back to equal contents.
 */
public final class Safetensors {

    /** Upper bound on the JSON header, as in the reference implementation (100 MB). */
    public static final int MAX_HEADER_BYTES = 100_000_000;
    /** The largest array a JVM allocates: the bound on {@link #write}'s output. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A decoded file: tensors in data order (or the expected spec's order) plus the metadata map. */
    public record Contents(Tensors tensors, Map<String, String> metadata) {
    }

    private Safetensors() {
    }

    /**
     * Serialises {@code weights} in spec order with the given metadata (may be empty).
     *
     * @throws IllegalArgumentException when a metadata string holds an unpaired surrogate (it has no UTF-8 form) or
     *                                  the file would exceed the header limit or a Java array
     */
    public static byte[] write(Tensors weights, Map<String, String> metadata) {
        byte[] json = header(weights.spec(), metadata);
        int padded = padded(json.length);
        long size = 8L + padded + 4L * weights.values().length;
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("a safetensors file of " + size + " bytes does not fit one Java array");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.asFloatBuffer().put(weights.values());
        return out.array();
    }

    /**
     * The length of {@link #write}'s output for tensors of {@code spec} with {@code metadata}, without serialising
     * the data: what a simulation counts as the bytes an upload or download would move.
     */
    public static long size(ModelSpec spec, Map<String, String> metadata) {
        return 8L + padded(header(spec, metadata).length) + 4L * spec.parameterCount();
    }

    private static byte[] header(ModelSpec spec, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(SafetensorsHeader.METADATA);
            metadata.forEach((key, value) -> {
                if (!SafetensorsHeader.isWellFormed(key) || !SafetensorsHeader.isWellFormed(value)) {
                    throw new IllegalArgumentException("metadata entry " + SafetensorsHeader.quote(key)
                            + " holds an unpaired surrogate, which UTF-8 cannot encode");
                }
                meta.put(key, value);
            });
        }
        long offset = 0;
        for (TensorSpec t : spec.tensors()) {
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (int dim : t.shape()) {
                shape.add(dim);
            }
            long end = offset + 4L * t.elementCount();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        if (padded(json.length) > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would be " + json.length + " bytes, above the limit of "
                    + MAX_HEADER_BYTES);
        }
        return json;
    }

    /** The header is padded with spaces so the data starts 8-byte aligned, as the reference writer does. */
    private static int padded(int headerLength) {
        return (headerLength + 7) & ~7;
    }

    /** Decodes {@code bytes}, taking the tensor list (in data order) from the file itself. */
    public static Contents read(byte[] bytes) {
        return read(MemorySegment.ofArray(bytes));
    }

    /** {@link #read(byte[])} from memory anywhere (a mapped file): only the header is copied to the heap. */
    public static Contents read(MemorySegment file) {
        SafetensorsHeader header = SafetensorsHeader.parse(file);
        List<TensorSpec> specs = new ArrayList<>();
        header.entries().forEach(e -> specs.add(e.spec()));
        ModelSpec spec = new ModelSpec(specs);
        float[] values = new float[spec.parameterCount()];
        int cursor = 0;
        for (SafetensorsHeader.Entry e : header.entries()) {
            decode(file, header.dataStart() + e.begin(), values, cursor, e.spec().elementCount());
            cursor += e.spec().elementCount();
        }
        return new Contents(new Tensors(spec, values), header.metadata());
    }

    /**
     * Decodes {@code bytes} and requires exactly the tensors of {@code expected} (names and shapes, any order in the
     * file); the result is in {@code expected}'s order.
     */
    public static Contents read(byte[] bytes, ModelSpec expected) {
        return read(MemorySegment.ofArray(bytes), expected);
    }

    /** {@link #read(byte[], ModelSpec)} from memory anywhere (a mapped file): only the header is copied to the heap. */
    public static Contents read(MemorySegment file, ModelSpec expected) {
        SafetensorsHeader header = SafetensorsHeader.parse(file);
        Set<String> seen = new HashSet<>();
        float[] values = new float[expected.parameterCount()];
        for (SafetensorsHeader.Entry e : header.entries()) {
            String name = e.spec().name();
            if (!expected.contains(name)) {
                throw new InvalidTensorsException("unexpected-tensor",
                        "tensor '" + name + "' is not part of the model; expected tensors: " + expected.names());
            }
            TensorSpec want = expected.tensor(name);
            if (!want.equals(e.spec())) {
                throw new InvalidTensorsException("shape-mismatch", "tensor '" + name + "' has shape "
                        + Arrays.toString(e.spec().shape()) + ", the model needs " + Arrays.toString(want.shape()));
            }
            seen.add(name);
            decode(file, header.dataStart() + e.begin(), values, expected.offset(name), want.elementCount());
        }
        if (seen.size() != expected.tensors().size()) {
            List<String> missing = new ArrayList<>(expected.names());
            missing.removeAll(seen);
            throw new InvalidTensorsException("missing-tensor", "tensors missing from the upload: " + missing);
        }
        return new Contents(new Tensors(expected, values), header.metadata());
    }

    private static void decode(MemorySegment file, long start, float[] out, int outOffset, int count) {
        MemorySegment.copy(file, F32, start, out, outOffset, count);
    }
}
