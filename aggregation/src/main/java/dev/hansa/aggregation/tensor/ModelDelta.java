package dev.hansa.aggregation.tensor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The compressed downlink: a model version's safetensors bytes sent as a lossless delta against the version a client
 * already holds (docs/protocol.md, "Model deltas"). The delta is the bytewise XOR of the two files (same length: same
 * tensors, same header), its float32 region regrouped into four byte planes (each value's lowest bytes, then the
 * next, ...; consecutive versions share sign, exponent and top mantissa bits, so the high planes are mostly zero),
 * then zlib-compressed. Lossless: applying it gives the target's bytes exactly, which the client checks against
 * their SHA-256 as it checks any download, so no server-side error feedback is needed.
 */
public final class ModelDelta {

    /** The frame's first bytes: {@code HNSD} and format version 1. */
    static final byte[] MAGIC = "HNSD".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Magic, version, base and target SHA-256, length, plane start. */
    static final int HEADER = 4 + 1 + 32 + 32 + 8 + 8;
    private static final int PLANES = 4;

    private ModelDelta() {
    }

    /**
     * The delta that turns {@code base} into {@code target}, when it is smaller than {@code target} itself; empty
     * when the files differ in length (another header or model) or the delta would not save bytes.
     */
    public static Optional<byte[]> encode(byte[] base, byte[] target) {
        if (base.length != target.length) {
            return Optional.empty();
        }
        byte[] xor = new byte[target.length];
        for (int i = 0; i < xor.length; i++) {
            xor[i] = (byte) (base[i] ^ target[i]);
        }
        long start = planeStart(target);
        byte[] compressed = deflate(toPlanes(xor, (int) start));
        if ((long) HEADER + compressed.length >= target.length) {
            return Optional.empty();
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER + compressed.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) VERSION).put(hash(base)).put(hash(target)).putLong(target.length).putLong(start)
                .put(compressed);
        return Optional.of(out.array());
    }

    /**
     * The target's bytes from {@code base} and a delta frame.
     *
     * @throws InvalidTensorsException {@code invalid-delta} when the frame is not a delta for {@code base}, is
     *                                 malformed, or does not reproduce the target it names (every length is checked
     *                                 before anything is allocated)
     */
    public static byte[] apply(byte[] base, byte[] frame) {
        if (frame.length < HEADER || !Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || frame[MAGIC.length] != VERSION) {
            throw invalid("not a version-1 model delta (the frame starts with HNSD and the byte 1)");
        }
        ByteBuffer in = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).position(MAGIC.length + 1);
        byte[] baseHash = new byte[32];
        byte[] targetHash = new byte[32];
        in.get(baseHash).get(targetHash);
        long length = in.getLong();
        long start = in.getLong();
        if (!Arrays.equals(baseHash, hash(base))) {
            throw invalid("the delta is against base " + HexFormat.of().formatHex(baseHash) + ", not the "
                    + ContentHash.of(base) + " held");
        }
        if (length != base.length || start < 0 || start > length) {
            throw invalid("the delta claims " + length + " bytes with planes from " + start + "; the base has "
                    + base.length);
        }
        byte[] planes = inflate(frame, HEADER, base.length);
        byte[] xor = fromPlanes(planes, (int) start);
        byte[] target = new byte[base.length];
        for (int i = 0; i < target.length; i++) {
            target[i] = (byte) (base[i] ^ xor[i]);
        }
        if (!Arrays.equals(targetHash, hash(target))) {
            throw invalid("the delta does not reproduce the target " + HexFormat.of().formatHex(targetHash));
        }
        return target;
    }

    /** Where a safetensors file's data starts (8 + header length), or 0 when the bytes are not one. */
    static long planeStart(byte[] file) {
        if (file.length < 8) {
            return 0;
        }
        long start = 8 + ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return start >= 8 && start <= file.length ? start : 0;
    }

    /** Bytes before {@code start} as they are; after it, the bytes of every full 4-byte group by plane; the tail. */
    static byte[] toPlanes(byte[] x, int start) {
        byte[] out = x.clone();
        int groups = (x.length - start) / PLANES;
        for (int plane = 0; plane < PLANES; plane++) {
            for (int g = 0; g < groups; g++) {
                out[start + plane * groups + g] = x[start + g * PLANES + plane];
            }
        }
        return out;
    }

    static byte[] fromPlanes(byte[] planes, int start) {
        byte[] out = planes.clone();
        int groups = (planes.length - start) / PLANES;
        for (int plane = 0; plane < PLANES; plane++) {
            for (int g = 0; g < groups; g++) {
                out[start + g * PLANES + plane] = planes[start + plane * groups + g];
            }
        }
        return out;
    }

    private static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(bytes);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
            byte[] buffer = new byte[1 << 16];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Exactly {@code length} bytes inflated from {@code frame[from..]}, which must hold one zlib stream and no more. */
    private static byte[] inflate(byte[] frame, int from, int length) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(frame, from, frame.length - from);
            byte[] out = new byte[length];
            for (int n = 0; n < length; ) {
                int got = inflater.inflate(out, n, length - n);
                if (got == 0) {
                    throw invalid("the delta's zlib stream ends after " + n + " of " + length + " bytes");
                }
                n += got;
            }
            if (!inflater.finished() && (inflater.inflate(new byte[1]) > 0 || !inflater.finished())) {
                throw invalid("the delta's zlib stream inflates to more than " + length + " bytes");
            }
            if (inflater.getRemaining() > 0) {
                throw invalid(inflater.getRemaining() + " bytes follow the delta's zlib stream");
            }
            return out;
        } catch (DataFormatException e) {
            throw invalid("the delta's zlib stream is corrupt: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static byte[] hash(byte[] bytes) {
        return HexFormat.of().parseHex(ContentHash.of(bytes));
    }

    private static InvalidTensorsException invalid(String message) {
        return new InvalidTensorsException("invalid-delta", message);
    }
}
