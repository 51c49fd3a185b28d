package dev.hansa.compute.cuda;

import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One page-locked host buffer through which every host/device copy of a context goes: Java heap arrays cannot be
 * handed to {@code cudaMemcpyAsync} (that would need {@code Linker.Option.critical}, wrong for a call that may block),
 * and pinned memory is what lets the copy engine run at full speed.
 *
 * <p>Trade-off: copies of one context serialise through this single buffer, chunk by chunk. An upload returns as soon
 * as its last chunk is queued (the host array may be reused at once); the buffer is then "in flight" and the next
 * copy first waits for the stream. A download waits for the stream before it returns. Callers hold the context's
 * lock.
 */
final class PinnedStaging implements AutoCloseable {

    static final long CAPACITY = 8L << 20;

    private final MemorySegment buffer;
    private final MemorySegment stream;
    private boolean inFlight;
    private boolean closed;

    PinnedStaging(MemorySegment stream, MemorySegment scratch) {
        this.stream = stream;
        Status.runtime(cuda_runtime_api_h.cudaMallocHost(scratch, CAPACITY), "cudaMallocHost(" + CAPACITY + " bytes)");
        this.buffer = scratch.get(ValueLayout.ADDRESS, 0).reinterpret(CAPACITY);
    }

    /** Copies floats {@code src[from, from + count)} to the device address {@code dst}. */
    void upload(float[] src, int from, long dst, int count) {
        for (int done = 0; done < count; ) {
            int chunk = (int) Math.min(count - done, CAPACITY / Float.BYTES);
            awaitIdle();
            MemorySegment.copy(src, from + done, buffer, ValueLayout.JAVA_FLOAT, 0, chunk);
            queue(dst + (long) done * Float.BYTES, buffer, (long) chunk * Float.BYTES,
                    cuda_runtime_api_h.cudaMemcpyHostToDevice(), "host to device");
            done += chunk;
        }
    }

    /** Copies ints {@code src[0, count)} to the device address {@code dst} (at most CAPACITY bytes: labels). */
    void uploadInts(int[] src, int count, long dst) {
        if ((long) count * Integer.BYTES > CAPACITY) {
            throw new IllegalArgumentException(count + " ints exceed the staging buffer");
        }
        awaitIdle();
        MemorySegment.copy(src, 0, buffer, ValueLayout.JAVA_INT, 0, count);
        queue(dst, buffer, (long) count * Integer.BYTES, cuda_runtime_api_h.cudaMemcpyHostToDevice(), "host to device");
    }

    /** Copies {@code count} floats from the device address {@code src} into {@code dst[from, from + count)}. */
    void download(long src, float[] dst, int from, int count) {
        for (int done = 0; done < count; ) {
            int chunk = (int) Math.min(count - done, CAPACITY / Float.BYTES);
            awaitIdle();
            queue(buffer.address(), MemorySegment.ofAddress(src + (long) done * Float.BYTES), (long) chunk * Float.BYTES,
                    cuda_runtime_api_h.cudaMemcpyDeviceToHost(), "device to host");
            awaitIdle();
            MemorySegment.copy(buffer, ValueLayout.JAVA_FLOAT, 0, dst, from + done, chunk);
            done += chunk;
        }
    }

    /** Reads one double from the device address {@code src} (the loss). */
    double downloadDouble(long src) {
        awaitIdle();
        queue(buffer.address(), MemorySegment.ofAddress(src), Double.BYTES, cuda_runtime_api_h.cudaMemcpyDeviceToHost(),
                "device to host");
        awaitIdle();
        return buffer.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    private void queue(long dst, MemorySegment src, long bytes, int kind, String direction) {
        queue(MemorySegment.ofAddress(dst), src, bytes, kind, direction);
    }

    private void queue(MemorySegment dst, MemorySegment src, long bytes, int kind, String direction) {
        int status = cuda_runtime_api_h.cudaMemcpyAsync(dst, src, bytes, kind, stream);
        if (status != 0) {
            Status.runtime(status, "cudaMemcpyAsync(" + bytes + " bytes, " + direction + ")");
        }
        inFlight = true;
    }

    /** Waits until the stream has drained, so the buffer may be reused. */
    void awaitIdle() {
        if (inFlight) {
            Status.runtime(cuda_runtime_api_h.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
            inFlight = false;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Status.runtime(cuda_runtime_api_h.cudaFreeHost(buffer), "cudaFreeHost(" + CAPACITY + " bytes)");
        }
    }
}
