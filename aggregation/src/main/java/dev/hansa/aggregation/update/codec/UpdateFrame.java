package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hansa's update frame, version 1: the envelope of every codec except {@code dense} (which is a plain safetensors
 * file). Little-endian throughout:
 * <pre>
 *   magic        4 bytes  "HUF1"-style: 0x48 0x55 0x46 then the frame version (1)
 *   codec        u8 length n (1..32), then n ASCII bytes: the codec's name
 *   parameters   u32      the model's parameter count d
 *   metadata     u16 entry count (at most 64), then per entry u16 key length, key, u16 value length, value
 *                (UTF-8, each at most 256 bytes, keys unique)
 *   payload      u32 length p, then p bytes that must end the frame exactly
 * </pre>
 * Every declared length is checked against the bytes that remain before it is used, so a hostile frame can neither
 * read out of bounds nor make the reader allocate more than the frame's own size.
 */
public final class UpdateFrame {

    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'H', 'U', 'F', VERSION};
    private static final int MAX_ENTRIES = 64;
    private static final int MAX_TEXT_BYTES = 256;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private UpdateFrame() {
    }

    /** A parsed frame: the metadata and a view of the payload bytes. */
    public record Parsed(Map<String, String> metadata, MemorySegment payload) {
    }

    /** The length of a frame with these contents. */
    public static long size(String codec, Map<String, String> metadata, long payloadLength) {
        long size = MAGIC.length + 1 + codec.length() + 4 + 2 + 4 + payloadLength;
        for (var e : metadata.entrySet()) {
            size += 4 + utf8(e.getKey()).length + utf8(e.getValue()).length;
        }
        return size;
    }

    /** A frame of {@code payloadLength} bytes that {@code payload} writes into a little-endian buffer. */
    public static byte[] write(String codec, int parameters, Map<String, String> metadata, int payloadLength,
                               Consumer<ByteBuffer> payload) {
        if (metadata.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a frame carries at most " + MAX_ENTRIES + " metadata entries");
        }
        long size = size(codec, metadata, payloadLength);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("frame of " + size + " bytes is too large");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) codec.length()).put(codec.getBytes(StandardCharsets.US_ASCII)).putInt(parameters);
        out.putShort((short) metadata.size());
        metadata.forEach((k, v) -> {
            putText(out, k);
            putText(out, v);
        });
        out.putInt(payloadLength);
        int start = out.position();
        payload.accept(out);
        if (out.position() - start != payloadLength || out.hasRemaining()) {
            throw new IllegalStateException("codec " + codec + " wrote " + (out.position() - start)
                    + " payload bytes, declared " + payloadLength);
        }
        return out.array();
    }

    /**
     * Parses a frame that must name {@code codec} and have {@code parameters} parameters.
     *
     * @throws InvalidTensorsException {@code malformed-frame} for anything else
     */
    public static Parsed read(MemorySegment frame, String codec, int parameters) {
        Cursor in = new Cursor(frame);
        for (byte b : MAGIC) {
            if (in.u8() != (b & 0xff)) {
                throw malformed("the bytes do not start with the update frame magic 'HUF' and version " + VERSION);
            }
        }
        int nameLength = in.u8();
        String name = new String(in.bytes(nameLength), StandardCharsets.US_ASCII);
        if (!name.equals(codec)) {
            throw malformed("the frame holds codec '" + name + "' but this participant's plan says '" + codec + "'");
        }
        long declared = in.u32();
        if (declared != parameters) {
            throw malformed("the frame declares " + declared + " parameters, the model has " + parameters);
        }
        int entries = in.u16();
        if (entries > MAX_ENTRIES) {
            throw malformed("the frame declares " + entries + " metadata entries, at most " + MAX_ENTRIES);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = in.text();
            if (metadata.put(key, in.text()) != null) {
                throw malformed("metadata key '" + key + "' appears twice");
            }
        }
        long payload = in.u32();
        if (payload != in.remaining()) {
            throw malformed("the payload declares " + payload + " bytes but " + in.remaining() + " follow");
        }
        return new Parsed(metadata, in.rest());
    }

    private static void putText(ByteBuffer out, String text) {
        byte[] bytes = utf8(text);
        if (bytes.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("frame metadata text longer than " + MAX_TEXT_BYTES + " bytes: " + text);
        }
        out.putShort((short) bytes.length).put(bytes);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The payload of {@code frame}, which must be exactly {@code expected} bytes long; otherwise malformed, naming what
     * the payload should hold ({@code what}, e.g. "a sign payload for 5 parameters in 2 tensors").
     */
    static MemorySegment exactPayload(Parsed frame, long expected, Supplier<String> what) {
        MemorySegment payload = frame.payload();
        if (payload.byteSize() != expected) {
            throw malformed(what.get() + " has " + expected + " bytes, " + payload.byteSize() + " found");
        }
        return payload;
    }

    static InvalidTensorsException malformed(String message) {
        return new InvalidTensorsException("malformed-frame", message);
    }

    /** Reads forward through a segment, checking every length against what remains. */
    private static final class Cursor {
        private final MemorySegment segment;
        private long at;

        Cursor(MemorySegment segment) {
            this.segment = segment;
        }

        long remaining() {
            return segment.byteSize() - at;
        }

        private void need(long n) {
            if (n > remaining()) {
                throw malformed("the frame ends after " + segment.byteSize() + " bytes, inside a field that needs "
                        + n + " more from offset " + at);
            }
        }

        int u8() {
            need(1);
            return segment.get(ValueLayout.JAVA_BYTE, at++) & 0xff;
        }

        int u16() {
            need(2);
            int v = segment.get(U16, at) & 0xffff;
            at += 2;
            return v;
        }

        long u32() {
            need(4);
            long v = segment.get(U32, at) & 0xffffffffL;
            at += 4;
            return v;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] out = segment.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
            at += n;
            return out;
        }

        String text() {
            int length = u16();
            if (length > MAX_TEXT_BYTES) {
                throw malformed("a metadata text of " + length + " bytes exceeds " + MAX_TEXT_BYTES);
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(length))).toString();
            } catch (CharacterCodingException e) {
                throw malformed("a metadata text is not valid UTF-8");
            }
        }

        MemorySegment rest() {
            return segment.asSlice(at);
        }
    }
}
