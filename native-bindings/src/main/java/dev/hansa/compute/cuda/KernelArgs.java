package dev.hansa.compute.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code void** kernelParams} array of {@code cuLaunchKernel}: one 8-byte slot per argument and an array of
 * pointers to the slots. Reused for every launch of a context (under its lock): the driver copies the values during
 * the call, so the next launch may overwrite them. Argument types must match the kernel's C signature exactly.
 */
final class KernelArgs {

    private static final int MAX_ARGS = 16;

    private final MemorySegment values;
    private final MemorySegment pointers;
    private int count;
    private final StringBuilder kinds = new StringBuilder();

    KernelArgs(Arena arena) {
        values = arena.allocate(8L * MAX_ARGS, 8);
        pointers = arena.allocate(ValueLayout.ADDRESS, MAX_ARGS);
        for (int i = 0; i < MAX_ARGS; i++) {
            pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(8L * i, 8));
        }
    }

    KernelArgs reset() {
        count = 0;
        kinds.setLength(0);
        return this;
    }

    /** A C {@code int}. */
    KernelArgs i32(int value) {
        values.set(ValueLayout.JAVA_INT, slot("i32"), value);
        return this;
    }

    /** A C {@code long long}. */
    KernelArgs i64(long value) {
        values.set(ValueLayout.JAVA_LONG, slot("i64"), value);
        return this;
    }

    /** A C {@code float}. */
    KernelArgs f32(float value) {
        values.set(ValueLayout.JAVA_FLOAT, slot("f32"), value);
        return this;
    }

    /** A device pointer. */
    KernelArgs ptr(long address) {
        values.set(ValueLayout.JAVA_LONG, slot("ptr"), address);
        return this;
    }

    MemorySegment array() {
        return pointers;
    }

    int count() {
        return count;
    }

    /** The argument kinds written since {@link #reset()}, e.g. "i64 f32 ptr". */
    String kinds() {
        return kinds.toString();
    }

    /** Whether the arguments written match {@code signature} (same format as {@link #kinds()}), without allocating. */
    boolean matches(String signature) {
        return signature.contentEquals(kinds);
    }

    private long slot(String kind) {
        if (count == MAX_ARGS) {
            throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        }
        kinds.append(count == 0 ? "" : " ").append(kind);
        return 8L * count++;
    }
}
