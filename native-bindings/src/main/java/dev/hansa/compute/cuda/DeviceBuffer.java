package dev.hansa.compute.cuda;

import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code cudaMalloc} allocation, freed exactly once: by {@link #close()}, by the owning {@link CudaContext} when
 * it closes with the buffer still live, or by the cleaner of the array that owns it once that array is unreachable.
 * Whichever comes first frees; the others find the flag set and do nothing.
 */
final class DeviceBuffer implements AutoCloseable {

    private final CudaContext context;
    private final long address;
    private final long bytes;
    private final AtomicBoolean freed = new AtomicBoolean();

    DeviceBuffer(CudaContext context, long address, long bytes) {
        this.context = context;
        this.address = address;
        this.bytes = bytes;
    }

    /** The device address; fails once freed, so a use after free is an exception rather than corrupt memory. */
    long address() {
        if (freed.get()) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes was already freed");
        }
        return address;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (freed.compareAndSet(false, true)) {
            context.release(this, () -> Status.runtime(cuda_runtime_api_h.cudaFree(MemorySegment.ofAddress(address)),
                    "cudaFree(" + bytes + " bytes)"));
        }
    }

    /** Frees without taking the context's lock; only for {@link CudaContext#close()}, which holds it. */
    void freeHeld() {
        if (freed.compareAndSet(false, true)) {
            Status.runtime(cuda_runtime_api_h.cudaFree(MemorySegment.ofAddress(address)), "cudaFree(" + bytes + " bytes)");
        }
    }
}
