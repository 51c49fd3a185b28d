package dev.hansa.compute.cuda;

import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.lang.ref.Cleaner;
import java.util.Objects;

/**
 * A {@link FloatArray} in device memory: the owner of a {@link DeviceBuffer}, or a view (slice) of one that keeps its
 * owner reachable. An owner nobody closed is freed by a {@link Cleaner} once unreachable, as a safety net; closing it
 * explicitly (or closing the backend) is the intended path.
 */
final class DeviceFloatArray implements FloatArray {

    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final DeviceBuffer buffer;
    private final DeviceFloatArray owner; // null for an owner; keeps the owner reachable from its views
    private final long offset;
    private final long length;

    private DeviceFloatArray(CudaBackend backend, DeviceBuffer buffer, DeviceFloatArray owner, long offset, long length) {
        this.backend = backend;
        this.buffer = buffer;
        this.owner = owner;
        this.offset = offset;
        this.length = length;
    }

    static DeviceFloatArray own(CudaBackend backend, DeviceBuffer buffer, long length) {
        DeviceFloatArray array = new DeviceFloatArray(backend, buffer, null, 0, length);
        CLEANER.register(array, buffer::close);
        return array;
    }

    /** Device address of element 0 of this view. */
    long address() {
        return buffer.address() + offset * Float.BYTES;
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
        return new DeviceFloatArray(backend, buffer, owner == null ? this : owner, offset + sliceOffset, sliceLength);
    }

    @Override
    public void copyFromHost(float[] src, int srcOffset, long dstOffset, int count) {
        Objects.checkFromIndexSize(srcOffset, count, src.length);
        Objects.checkFromIndexSize(dstOffset, count, length);
        backend.upload(src, srcOffset, this, dstOffset, count);
    }

    @Override
    public void copyToHost(long srcOffset, float[] dst, int dstOffset, int count) {
        Objects.checkFromIndexSize(srcOffset, count, length);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        backend.download(this, srcOffset, dst, dstOffset, count);
    }

    /** Frees the device memory if this is the owner; a no-op for views and on repeated calls. */
    @Override
    public void close() {
        if (owner == null) {
            buffer.close();
        }
    }
}
