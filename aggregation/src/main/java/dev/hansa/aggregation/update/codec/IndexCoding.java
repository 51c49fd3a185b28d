package dev.hansa.aggregation.update.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * The two codings of a sorted set of distinct indices in {@code [0, d)} that top-k frames use (docs/protocol.md):
 * <ul>
 *   <li>delta: per index, the gap to the previous one minus one (the first: the index itself) as an unsigned
 *       LEB128 varint, shortest form only (at most 5 bytes);</li>
 *   <li>bitmap: {@code ceil(d / 8)} bytes, bit {@code i mod 8} (least significant first) of byte {@code i / 8} set
 *       exactly for the indices, padding bits zero.</li>
 * </ul>
 * Readers refuse every other byte string, so each index set has one encoding per coding and duplicates or indices
 * out of range cannot be expressed.
 */
final class IndexCoding {

    /** Receives the j-th index (0-based, ascending). */
    interface Visitor {
        void accept(int j, int index);
    }

    private IndexCoding() {
    }

    static int varintBytes(long value) {
        int n = 1;
        while (value >= 0x80) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    static long deltaBytes(int[] sorted) {
        long bytes = 0;
        int previous = -1;
        for (int i : sorted) {
            bytes += varintBytes(i - previous - 1L);
            previous = i;
        }
        return bytes;
    }

    static long bitmapBytes(int d) {
        return (d + 7L) / 8;
    }

    static void putDeltas(ByteBuffer out, int[] sorted) {
        int previous = -1;
        for (int i : sorted) {
            long gap = i - previous - 1L;
            while (gap >= 0x80) {
                out.put((byte) (gap | 0x80));
                gap >>>= 7;
            }
            out.put((byte) gap);
            previous = i;
        }
    }

    static void putBitmap(ByteBuffer out, int[] sorted, int d) {
        byte[] bits = new byte[(int) bitmapBytes(d)];
        for (int i : sorted) {
            bits[i >>> 3] |= (byte) (1 << (i & 7));
        }
        out.put(bits);
    }

    /** Reads exactly {@code k} delta-coded indices below {@code d} that fill {@code in}. */
    static void readDeltas(MemorySegment in, int k, int d, Visitor visitor) {
        long at = 0;
        long previous = -1;
        for (int j = 0; j < k; j++) {
            long gap = 0;
            for (int shift = 0; ; shift += 7) {
                if (at >= in.byteSize()) {
                    throw UpdateFrame.malformed("the top-k indices end inside index " + j + " of " + k);
                }
                int b = in.get(ValueLayout.JAVA_BYTE, at++) & 0xff;
                if (shift == 28 && b > 0x0f || shift > 0 && b == 0) {
                    throw UpdateFrame.malformed("top-k index " + j + " is not a shortest 32-bit varint");
                }
                gap |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    break;
                }
            }
            previous += gap + 1;
            if (previous >= d) {
                throw UpdateFrame.malformed("top-k index " + j + " is " + previous + ", out of range for " + d
                        + " parameters");
            }
            visitor.accept(j, (int) previous);
        }
        if (at != in.byteSize()) {
            throw UpdateFrame.malformed((in.byteSize() - at) + " bytes follow the " + k + " delta-coded top-k indices");
        }
    }

    /** Reads a bitmap of {@code d} bits with exactly {@code k} set that fills {@code in}. */
    static void readBitmap(MemorySegment in, int k, int d, Visitor visitor) {
        if (in.byteSize() != bitmapBytes(d)) {
            throw UpdateFrame.malformed("a top-k bitmap for " + d + " parameters has " + bitmapBytes(d)
                    + " bytes, the frame leaves " + in.byteSize() + " between header and values");
        }
        long set = 0;
        for (long at = 0; at < in.byteSize(); at++) {
            set += Integer.bitCount(in.get(ValueLayout.JAVA_BYTE, at) & 0xff);
        }
        int padding = (int) (8 * in.byteSize() - d);
        if (padding > 0 && (in.get(ValueLayout.JAVA_BYTE, in.byteSize() - 1) & 0xff) >>> (8 - padding) != 0) {
            throw UpdateFrame.malformed("the top-k bitmap sets bits past parameter " + (d - 1));
        }
        if (set != k) {
            throw UpdateFrame.malformed("the top-k bitmap sets " + set + " bits, the frame claims " + k + " entries");
        }
        int j = 0;
        for (int i = 0; i < d; i++) {
            if ((in.get(ValueLayout.JAVA_BYTE, i >>> 3) >>> (i & 7) & 1) != 0) {
                visitor.accept(j++, i);
            }
        }
    }
}
