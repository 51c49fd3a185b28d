package dev.hansa.aggregation.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * The header of a safetensors file, parsed strictly: every rule in docs/protocol.md ("Tensor format") is checked here
 * and a violation raises {@link InvalidTensorsException} with reason {@code malformed-safetensors} (or
 * {@code unsupported-dtype}) and a message naming what is wrong.
 *
 * <p>The JSON is read token by token rather than as a tree because a tree hides what the rules are about: a name
 * given twice (a tree keeps one of them), the literal form of a number ({@code 3.0}, {@code -0}) and where the object
 * ends (what follows it must be space padding).
 *
 * @param entries   tensors in data order (by offsets; equal offsets keep header order)
 * @param metadata  the {@code __metadata__} map, empty when absent, in header order
 * @param dataStart offset of the data buffer in the file
 */
record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {

    /** One tensor's header entry; {@code [begin, end)} is relative to {@link #dataStart}. */
    record Entry(TensorSpec spec, long begin, long end) {
    }

    static final String METADATA = "__metadata__";
    private static final int LENGTH_BYTES = 8;
    private static final int MESSAGE_TEXT = 64;
    private static final ValueLayout.OfLong HEADER_LENGTH =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Strings and names may be as long as the header; numbers never need more than 20 digits. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Safetensors.MAX_HEADER_BYTES)
                    .maxNameLength(Safetensors.MAX_HEADER_BYTES)
                    .maxNumberLength(32)
                    .build())
            .build();

    static SafetensorsHeader parse(MemorySegment file) {
        long size = file.byteSize();
        if (size < LENGTH_BYTES) {
            throw malformed("the body is " + size + " bytes, shorter than the 8-byte header length");
        }
        long length = file.get(HEADER_LENGTH, 0);
        if (Long.compareUnsigned(length, Safetensors.MAX_HEADER_BYTES) > 0) {
            throw malformed("header length " + Long.toUnsignedString(length) + " exceeds the limit of "
                    + Safetensors.MAX_HEADER_BYTES + " bytes");
        }
        if (length > size - LENGTH_BYTES) {
            throw malformed("header length " + length + " runs past the end of a body of " + size + " bytes");
        }
        // Only the length and the header are copied to the heap; the data stays where it is (a mapped spool file).
        byte[] head = file.asSlice(0, LENGTH_BYTES + length).toArray(ValueLayout.JAVA_BYTE);
        return parseHead(head, size);
    }

    /** Parses the length field and header in {@code file}, the start of a file of {@code size} bytes. */
    private static SafetensorsHeader parseHead(byte[] file, long size) {
        long length = file.length - LENGTH_BYTES;
        int headerLength = (int) length;
        requireUtf8(file, LENGTH_BYTES, headerLength);
        if (headerLength == 0 || file[LENGTH_BYTES] != '{') {
            throw malformed("the header must start with '{'" + (headerLength == 0 ? "; it is empty"
                    : ", it starts with " + quote(text(file, LENGTH_BYTES, headerLength))));
        }
        Map<String, String> metadata = null;
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int end;
        // Parsed from the bytes by Jackson's byte parser (it needs name canonicalization, which is on): its parser
        // over chars (3.1.4) takes a non-ASCII character whose low seven bits spell a hex digit for a digit of a
        // unicode escape, which the byte parser and the reference refuse.
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), file, LENGTH_BYTES, headerLength)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                if (name.equals(METADATA)) {
                    if (metadata != null) {
                        throw malformed(METADATA + " appears twice in the header");
                    }
                    metadata = metadata(p);
                } else {
                    if (!names.add(name)) {
                        throw malformed("tensor " + quote(name) + " appears twice in the header");
                    }
                    entries.add(entry(name, p));
                }
            }
            // The object's closing brace is one byte; only space padding may follow it.
            end = LENGTH_BYTES + Math.toIntExact(p.currentTokenLocation().getByteOffset()) + 1;
        } catch (JacksonException e) {
            throw malformed("the header is not valid JSON: " + e.getOriginalMessage());
        }
        for (int i = end; i < LENGTH_BYTES + headerLength; i++) {
            if (file[i] != ' ') {
                throw malformed("the header continues after its JSON object with "
                        + quote(text(file, i, LENGTH_BYTES + headerLength - i))
                        + "; only space padding (0x20) may follow the object");
            }
        }
        if (entries.isEmpty()) {
            throw malformed("the header lists no tensors; a Hansa file holds at least one");
        }
        tile(entries, size - LENGTH_BYTES - length);
        return new SafetensorsHeader(List.copyOf(entries),
                metadata == null ? Map.of() : Collections.unmodifiableMap(metadata), LENGTH_BYTES + length);
    }

    /** Sorts {@code entries} into data order and requires them to cover {@code [0, dataLength)} exactly once. */
    private static void tile(List<Entry> entries, long dataLength) {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        for (Entry e : entries) {
            if (e.begin != expectedBegin) {
                throw malformed("tensor " + quote(e.spec.name()) + " data starts at " + e.begin + ", expected "
                        + expectedBegin + " (data regions must be contiguous from 0 and must not overlap)");
            }
            expectedBegin = e.end;
        }
        if (expectedBegin != dataLength) {
            throw malformed("tensor data covers " + expectedBegin + " bytes but the body carries " + dataLength
                    + " after the header");
        }
    }

    /** Requires well-formed UTF-8: no overlong forms, no encoded surrogates, no truncated sequences. */
    private static void requireUtf8(byte[] file, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(file, offset, length);
        CharBuffer out = CharBuffer.allocate(Math.min(length, 4096) + 1);
        CoderResult result;
        do {
            out.clear(); // only validity matters, not the characters
            result = decoder.decode(in, out, true);
        } while (result.isOverflow());
        if (!result.isError()) {
            out.clear();
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw malformed("the header is not valid UTF-8 (at byte " + (in.position() - offset) + " of the header)");
        }
    }

    /** The first few characters of the (valid UTF-8) bytes from {@code offset}, for a message. */
    private static String text(byte[] file, int offset, int length) {
        return new String(file, offset, Math.min(length, 8), StandardCharsets.UTF_8);
    }

    private static Map<String, String> metadata(JsonParser p) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw malformed(METADATA + " must be an object of string values, got " + describe(p));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw malformed(METADATA + " value " + quote(key) + " must be a string, got " + describe(p));
            }
            String value = p.getString();
            if (!isWellFormed(key) || !isWellFormed(value)) {
                throw malformed(METADATA + " entry " + quote(key) + " holds an unpaired UTF-16 surrogate escape");
            }
            if (metadata.putIfAbsent(key, value) != null) {
                throw malformed(METADATA + " key " + quote(key) + " appears twice");
            }
        }
        return metadata;
    }

    private static Entry entry(String name, JsonParser p) {
        if (!TensorSpec.isValidName(name)) {
            throw malformed("tensor name " + quote(name) + " is not allowed: " + TensorSpec.NAME_RULE);
        }
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw malformed("entry " + quote(name) + " must be an object, got " + describe(p));
        }
        String dtype = null;
        int[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            boolean repeated = switch (field) {
                case "dtype" -> dtype != null;
                case "shape" -> shape != null;
                case "data_offsets" -> offsets != null;
                default -> throw malformed("tensor " + quote(name) + " has an unknown field " + quote(field)
                        + "; an entry holds exactly dtype, shape and data_offsets");
            };
            if (repeated) {
                throw malformed("tensor " + quote(name) + " has field " + field + " twice");
            }
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (!p.hasToken(JsonToken.VALUE_STRING)) {
                        throw malformed("tensor " + quote(name) + " dtype must be a string, got " + describe(p));
                    }
                    dtype = p.getString();
                }
                case "shape" -> shape = shape(name, p);
                default -> offsets = offsets(name, p);
            }
        }
        if (dtype == null || shape == null || offsets == null) {
            throw malformed("tensor " + quote(name) + " lacks " + (dtype == null ? "dtype" : shape == null ? "shape"
                    : "data_offsets") + "; an entry holds exactly dtype, shape and data_offsets");
        }
        if (!dtype.equals("F32")) {
            throw refusal("unsupported-dtype",
                    "tensor " + quote(name) + " has dtype " + quote(dtype) + "; Hansa exchanges F32 tensors only");
        }
        TensorSpec spec;
        try {
            spec = new TensorSpec(name, shape);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin || end - begin != 4L * spec.elementCount()) {
            throw malformed("tensor " + quote(name) + " data_offsets [" + begin + ", " + end + "] do not hold its "
                    + spec.elementCount() + " F32 values (shape " + Arrays.toString(shape) + ")");
        }
        return new Entry(spec, begin, end);
    }

    private static int[] shape(String name, JsonParser p) {
        if (!p.hasToken(JsonToken.START_ARRAY)) {
            throw malformed("tensor " + quote(name) + " shape must be an array, got " + describe(p));
        }
        int[] dims = new int[4];
        int rank = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            long dim = count(p, "tensor " + quote(name) + " shape");
            if (dim > Integer.MAX_VALUE) {
                throw malformed("tensor " + quote(name) + " has dimension " + dim + ", above Hansa's limit of "
                        + Integer.MAX_VALUE);
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, 2 * rank);
            }
            dims[rank++] = (int) dim;
        }
        return Arrays.copyOf(dims, rank);
    }

    private static long[] offsets(String name, JsonParser p) {
        String what = "tensor " + quote(name) + " data_offsets";
        if (!p.hasToken(JsonToken.START_ARRAY)) {
            throw malformed(what + " must be [begin, end], got " + describe(p));
        }
        long[] offsets = new long[2];
        for (int i = 0; i < 2; i++) {
            if (p.nextToken() == JsonToken.END_ARRAY) {
                throw malformed(what + " must hold two numbers, it holds " + i);
            }
            offsets[i] = count(p, what);
        }
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw malformed(what + " must hold two numbers, it holds more");
        }
        return offsets;
    }

    /**
     * A non-negative integer written as digits only: {@code 3.0}, {@code 3e0}, {@code "3"} and {@code -0} are
     * refused, as is anything beyond a signed 64-bit integer (no valid offset or count of a file comes near it).
     */
    private static long count(JsonParser p, String what) {
        if (!p.hasToken(JsonToken.VALUE_NUMBER_INT)) {
            throw malformed(what + " must hold non-negative integers without fraction or exponent, got " + describe(p));
        }
        if (p.getString().startsWith("-")) {
            throw malformed(what + " holds the negative number " + p.getString());
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw malformed(what + " holds " + quote(p.getString()) + ", beyond the largest allowed value "
                    + Long.MAX_VALUE);
        }
        return p.getLongValue();
    }

    /** True when {@code s} has no unpaired surrogate, i.e. it is a sequence of Unicode scalar values. */
    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "the end of the header";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + quote(p.getString());
            default -> quote(p.getString());
        };
    }

    /** {@code s} in single quotes, cut to a length a message can carry (names and values may be megabytes long). */
    static String quote(String s) {
        int cut = s.length() <= MESSAGE_TEXT ? s.length() : s.offsetByCodePoints(0, s.codePointCount(0, MESSAGE_TEXT));
        return "'" + s.substring(0, cut) + (cut < s.length() ? "..." : "") + "'";
    }

    private static InvalidTensorsException malformed(String message) {
        return refusal("malformed-safetensors", message);
    }

    /**
     * Messages quote the file and end up in problem details and in the participant's row: an unpaired surrogate (a
     * JSON escape in the file) becomes U+FFFD, so that the message itself is valid Unicode.
     */
    private static InvalidTensorsException refusal(String reason, String message) {
        StringBuilder text = new StringBuilder(message.length());
        message.codePoints().forEach(c -> text.appendCodePoint(Character.getType(c) == Character.SURROGATE ? 0xFFFD : c));
        return new InvalidTensorsException(reason, text.toString());
    }
}
