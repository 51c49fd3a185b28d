package dev.hansa.aggregation.update.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * The bit stream that packed payloads ({@code qsgd} codes, {@code sign} bits, {@code sparseloco} indices and codes)
 * use: fields of a fixed width, one after another, bit i of the stream is bit {@code i mod 8} (least significant
 * first) of byte {@code i / 8}, a field's least significant bit first; the last byte's unused bits are zero.
 */
final class BitPacking {

    private BitPacking() {
    }

    /** The bytes of a stream of {@code bits} bits. */
    static long bytes(long bits) {
        return (bits + 7) / 8;
    }

    /** The width of a field that holds every value in {@code [0, max]}: 0 for {@code max = 0}. */
    static int width(long max) {
        return 64 - Long.numberOfLeadingZeros(max);
    }

    /** Appends fields to a buffer; {@link #finish} writes the partial last byte. */
    static final class Writer {
        private final ByteBuffer out;
        private long pending;
        private int filled;

        Writer(ByteBuffer out) {
            this.out = out;
        }

        /** Appends the low {@code width} (at most 32) bits of {@code value}, which must fit them. */
        void put(long value, int width) {
            pending |= value << filled;
            filled += width;
            while (filled >= 8) {
                out.put((byte) pending);
                pending >>>= 8;
                filled -= 8;
            }
        }

        void finish() {
            if (filled > 0) {
                out.put((byte) pending);
                pending = 0;
                filled = 0;
            }
        }
    }

    /** Reads fields from a segment whose length the caller has already checked against the fields it will read. */
    static final class Reader {
        private final MemorySegment in;
        private long at;
        private long pending;
        private int filled;

        Reader(MemorySegment in) {
            this.in = in;
        }

        /** The next field of {@code width} (at most 32) bits. */
        int get(int width) {
            while (filled < width) {
                pending |= (long) (in.get(ValueLayout.JAVA_BYTE, at++) & 0xff) << filled;
                filled += 8;
            }
            int value = (int) (pending & ((1L << width) - 1));
            pending >>>= width;
            filled -= width;
            return value;
        }

        /**
         * Refuses a stream with bits set after its last field or bytes left over.
         *
         * @param what the stream's name in the message, e.g. "the qsgd codes"
         */
        void end(String what) {
            if (pending != 0) {
                throw UpdateFrame.malformed(what + " set padding bits after the last field");
            }
            if (at != in.byteSize()) {
                throw UpdateFrame.malformed((in.byteSize() - at) + " bytes follow " + what);
            }
        }
    }
}
