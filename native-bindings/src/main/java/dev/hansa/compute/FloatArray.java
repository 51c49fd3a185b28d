package dev.hansa.compute;

/**
 * A float vector owned by a {@link Backend}; it may live in host memory or on a GPU.
 *
 * <p>Host copies are explicit and bounds-checked. A {@link #slice} is a view that shares storage with its parent
 * and must not outlive it; closing a slice is a no-op, closing the owner frees the storage exactly once.
 */
public interface FloatArray extends AutoCloseable {

    /** Number of floats in this array or view. */
    long length();

    /** The backend that owns this storage; kernels accept only arrays of their own backend. */
    Backend backend();

    /** A view of {@code length} floats starting at {@code offset}. */
    FloatArray slice(long offset, long length);

    /** Copies {@code length} floats from {@code src[srcOffset..]} into this array starting at {@code dstOffset}. */
    void copyFromHost(float[] src, int srcOffset, long dstOffset, int length);

    /** Copies {@code length} floats starting at {@code srcOffset} of this array into {@code dst[dstOffset..]}. */
    void copyToHost(long srcOffset, float[] dst, int dstOffset, int length);

    /** Copies the whole of {@code src} into the start of this array. */
    default void copyFromHost(float[] src) {
        copyFromHost(src, 0, 0, src.length);
    }

    /** Returns a new host array holding this array's contents. */
    default float[] toHost() {
        if (length() > Integer.MAX_VALUE) {
            throw new IllegalStateException("array of " + length() + " floats does not fit a Java array");
        }
        float[] out = new float[(int) length()];
        copyToHost(0, out, 0, out.length);
        return out;
    }

    /** Frees the storage if this is the owner; idempotent. */
    @Override
    void close();
}
