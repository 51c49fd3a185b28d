package dev.hansa.aggregation.update.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The parts the sparse frames share: the kept-count field and the block of float32 values that ends each payload. */
final class SparseValues {

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SparseValues() {
    }

    /**
     * The payload's leading u32 count of kept entries, refused unless {@code count <= d} and the payload has room
     * for {@code count} float32 values after its {@code header} bytes: checked before anything is allocated.
     */
    static int count(MemorySegment payload, int header, int d, String codec) {
        if (payload.byteSize() < header) {
            throw UpdateFrame.malformed("a " + codec + " payload starts with " + header + " header bytes, only "
                    + payload.byteSize() + " present");
        }
        long count = Integer.toUnsignedLong(payload.get(U32, 0));
        if (count > d) {
            throw UpdateFrame.malformed("the " + codec + " frame claims " + count + " entries, the model has " + d
                    + " parameters");
        }
        if (4 * count > payload.byteSize() - header) {
            throw UpdateFrame.malformed("the " + codec + " payload is truncated: " + count + " values need "
                    + 4 * count + " bytes after the header, " + (payload.byteSize() - header) + " remain");
        }
        return (int) count;
    }

    /** {@code full} at {@code indices} and zero elsewhere: what the server decodes from a sparse frame. */
    static float[] keep(float[] full, int[] indices) {
        float[] out = new float[full.length];
        for (int i : indices) {
            out[i] = full[i];
        }
        return out;
    }
}
