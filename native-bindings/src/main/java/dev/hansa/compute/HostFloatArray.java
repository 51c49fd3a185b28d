package dev.hansa.compute;

import java.util.Objects;

/** A {@link FloatArray} backed by a Java heap array; used by the host (Java and CPU) backends. */
public final class HostFloatArray implements FloatArray {

    private final Backend backend;
    private final float[] data;
    private final int offset;
    private final int length;

    HostFloatArray(Backend backend, float[] data, int offset, int length) {
        this.backend = backend;
        this.data = data;
        this.offset = offset;
        this.length = length;
    }

    static HostFloatArray allocate(Backend backend, long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("length must be in [0, 2^31 - 9] for a host array: " + length);
        }
        return new HostFloatArray(backend, new float[(int) length], 0, (int) length);
    }

    /** The backing array; element i of this view is {@code data()[offset() + i]}. */
    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public FloatArray slice(long sliceOffset, long sliceLength) {
        Objects.checkFromIndexSize(sliceOffset, sliceLength, length);
        return new HostFloatArray(backend, data, offset + (int) sliceOffset, (int) sliceLength);
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, long dstOffset, int count) {
        Objects.checkFromIndexSize(srcOffset, count, src.length);
        Objects.checkFromIndexSize(dstOffset, count, length);
        System.arraycopy(src, srcOffset, data, offset + (int) dstOffset, count);
    }

    @Override
    public void copyToHost(long srcOffset, float[] dst, int dstOffset, int count) {
        Objects.checkFromIndexSize(srcOffset, count, length);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        System.arraycopy(data, offset + (int) srcOffset, dst, dstOffset, count);
    }

    @Override
    public void close() {
        // Heap storage is reclaimed by the garbage collector.
    }
}
