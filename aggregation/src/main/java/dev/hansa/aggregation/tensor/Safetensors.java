package dev.hansa.aggregation.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the safetensors layout (https://huggingface.co/docs/safetensors): an unsigned little-endian
 * 8-byte header length N, N bytes of UTF-8 JSON mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} (relative to the byte after the header), an optional {@code __metadata__} string map, then the
 * data. Hansa only exchanges {@code F32} tensors.
 *
 * <p>Input is untrusted: every length and offset is checked before use, data regions must tile the buffer exactly
 * with no overlap or gap, and any violation raises {@link InvalidTensorsException} with a reason code.
 */
public final class Safetensors {

    /** Upper bound on the JSON header, as in the reference implementation (100 MB). */
    public static final int MAX_HEADER_BYTES = 100_000_000;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** A decoded file: tensors in header order plus the metadata map. */
    public record Contents(Tensors tensors, Map<String, String> metadata) {
    }

    private Safetensors() {
    }

    /** Serialises {@code weights} in spec order with the given metadata (may be empty). */
    public static byte[] write(Tensors weights, Map<String, String> metadata) {
        byte[] json = header(weights.spec(), metadata);
        int padded = padded(json.length);
        ByteBuffer out = ByteBuffer.allocate(8 + padded + 4 * weights.values().length).order(ByteOrder.LITTLE_ENDIAN);
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
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
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
        return JSON.writeValueAsBytes(header);
    }

    /** The header is padded with spaces so the data starts 8-byte aligned, as the reference writer does. */
    private static int padded(int headerLength) {
        return (headerLength + 7) & ~7;
    }

    /** Decodes {@code bytes}, taking the tensor list (in header data order) from the file itself. */
    public static Contents read(byte[] bytes) {
        Header header = parseHeader(bytes);
        List<TensorSpec> specs = new ArrayList<>();
        header.entries.forEach(e -> specs.add(e.spec));
        ModelSpec spec = new ModelSpec(specs);
        float[] values = new float[spec.parameterCount()];
        int cursor = 0;
        for (Entry e : header.entries) {
            decode(bytes, header.dataStart + e.begin, values, cursor, e.spec.elementCount());
            cursor += e.spec.elementCount();
        }
        return new Contents(new Tensors(spec, values), header.metadata);
    }

    /**
     * Decodes {@code bytes} and requires exactly the tensors of {@code expected} (names and shapes, any order in the
     * file); the result is in {@code expected}'s order.
     */
    public static Contents read(byte[] bytes, ModelSpec expected) {
        Header header = parseHeader(bytes);
        Set<String> seen = new HashSet<>();
        float[] values = new float[expected.parameterCount()];
        for (Entry e : header.entries) {
            String name = e.spec.name();
            if (!expected.contains(name)) {
                throw new InvalidTensorsException("unexpected-tensor",
                        "tensor '" + name + "' is not part of the model; expected tensors: " + expected.names());
            }
            TensorSpec want = expected.tensor(name);
            if (!want.equals(e.spec)) {
                throw new InvalidTensorsException("shape-mismatch", "tensor '" + name + "' has shape "
                        + Arrays.toString(e.spec.shape()) + ", the model needs " + Arrays.toString(want.shape()));
            }
            seen.add(name);
            decode(bytes, header.dataStart + e.begin, values, expected.offset(name), want.elementCount());
        }
        if (seen.size() != expected.tensors().size()) {
            List<String> missing = new ArrayList<>(expected.names());
            missing.removeAll(seen);
            throw new InvalidTensorsException("missing-tensor", "tensors missing from the upload: " + missing);
        }
        return new Contents(new Tensors(expected, values), header.metadata);
    }

    private static void decode(byte[] bytes, long start, float[] out, int outOffset, int count) {
        ByteBuffer.wrap(bytes, (int) start, count * 4).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(out, outOffset, count);
    }

    private record Entry(TensorSpec spec, long begin, long end) {
    }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    private static Header parseHeader(byte[] bytes) {
        if (bytes.length < 8) {
            throw malformed("the body is " + bytes.length + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > bytes.length - 8L) {
            throw malformed("header length " + Long.toUnsignedString(headerLength) + " does not fit a body of "
                    + bytes.length + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw malformed("the header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed("the header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (var field : root.properties()) {
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                if (!node.isObject()) {
                    throw malformed("__metadata__ must be an object of strings");
                }
                for (var m : node.properties()) {
                    if (!m.getValue().isString()) {
                        throw malformed("__metadata__ value '" + m.getKey() + "' must be a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asString());
                }
                continue;
            }
            entries.add(parseEntry(name, node));
        }
        if (entries.isEmpty()) {
            throw malformed("the file holds no tensors");
        }
        long dataLength = bytes.length - 8L - headerLength;
        entries.sort((a, b) -> Long.compare(a.begin, b.begin));
        long expectedBegin = 0;
        for (Entry e : entries) {
            if (e.begin != expectedBegin) {
                throw malformed("tensor '" + e.spec.name() + "' data starts at " + e.begin + ", expected " + expectedBegin
                        + " (data regions must be contiguous and must not overlap)");
            }
            expectedBegin = e.end;
        }
        if (expectedBegin != dataLength) {
            throw malformed("tensor data covers " + expectedBegin + " bytes but the body carries " + dataLength);
        }
        return new Header(entries, metadata, 8 + headerLength);
    }

    private static Entry parseEntry(String name, JsonNode node) {
        if (!node.isObject()) {
            throw malformed("entry '" + name + "' must be an object");
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isString()) {
            throw malformed("tensor '" + name + "' has no dtype");
        }
        if (!dtype.asString().equals("F32")) {
            throw new InvalidTensorsException("unsupported-dtype",
                    "tensor '" + name + "' has dtype " + dtype.asString() + "; Hansa exchanges F32 tensors only");
        }
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw malformed("tensor '" + name + "' needs a shape array and two data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.canConvertToInt() || dim.asInt() < 0) {
                throw malformed("tensor '" + name + "' has an invalid dimension " + dim);
            }
            shape[i] = dim.asInt();
        }
        TensorSpec spec;
        try {
            spec = new TensorSpec(name, shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw malformed(e.getMessage());
        }
        if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw malformed("tensor '" + name + "' has non-integer data_offsets");
        }
        long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end - begin != 4L * spec.elementCount()) {
            throw malformed("tensor '" + name + "' data_offsets [" + begin + ", " + end + "] do not match its shape "
                    + Arrays.toString(shape) + " of F32 values");
        }
        return new Entry(spec, begin, end);
    }

    private static InvalidTensorsException malformed(String message) {
        return new InvalidTensorsException("malformed-safetensors", message);
    }
}
