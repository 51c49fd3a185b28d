package dev.hansa.compute.cuda;

import dev.hansa.compute.cuda.bindings.cuda_h;
import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Everything a {@link CudaBackend} holds on one device: a non-blocking stream, a cuBLAS handle on it, the kernel
 * module, the pinned staging buffer, the native scratch memory (one shared arena) and every live device allocation.
 *
 * <p>All device work goes through {@link #run}/{@link #call} (or {@link #lock()}/{@link #unlock()}): the stream, the handle's scalar buffers, the
 * kernel argument block and the staging buffer are shared, and work queued on one stream is ordered anyway. The lock
 * also makes the device current on the calling thread (the driver API launches need a current context). Closing frees
 * what is still live (with a warning naming the count), then the staging buffer, module, handle, stream and arena,
 * each exactly once.
 */
final class CudaContext implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CudaContext.class.getName());

    final int device;
    final CudaDeviceInfo info;
    final MemorySegment stream;
    final CublasHandle cublas;
    final CudaKernels kernels;
    final PinnedStaging staging;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<DeviceBuffer> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong liveBytes = new AtomicLong();
    private Thread boundThread;
    private boolean closed;

    /** Opens device {@code device}; {@code tf32} lets cuBLAS round SGEMM inputs to TF32 on tensor cores. */
    static CudaContext open(int device, boolean tf32) {
        CudaLibraries.Loaded libraries = CudaLibraries.load();
        if (device < 0 || device >= libraries.deviceCount()) {
            throw new IllegalArgumentException("device " + device + " does not exist; this machine has "
                    + libraries.deviceCount());
        }
        return new CudaContext(device, tf32);
    }

    private CudaContext(int device, boolean tf32) {
        this.device = device;
        this.scratch = arena.allocate(64, 8);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            makeCurrent();
            Status.runtime(cuda_runtime_api_h.cudaStreamCreateWithFlags(scratch,
                    cuda_runtime_api_h.cudaStreamNonBlocking()), "cudaStreamCreateWithFlags(NonBlocking)");
            this.stream = scratch.get(ValueLayout.ADDRESS, 0);
            opened.add(() -> Status.runtime(cuda_runtime_api_h.cudaStreamDestroy(stream), "cudaStreamDestroy"));
            this.cublas = new CublasHandle(arena, stream, tf32);
            opened.add(cublas);
            int multiprocessors = attribute(cuda_runtime_api_h.cudaDevAttrMultiProcessorCount());
            this.info = describe(multiprocessors);
            this.kernels = new CudaKernels(arena, stream, multiprocessors);
            opened.add(kernels);
            this.staging = new PinnedStaging(stream, scratch);
        } catch (RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            arena.close();
            throw e;
        }
    }

    private int attribute(int attribute) {
        Status.runtime(cuda_runtime_api_h.cudaDeviceGetAttribute(scratch, attribute, device),
                "cudaDeviceGetAttribute(" + attribute + ", device " + device + ")");
        return scratch.get(ValueLayout.JAVA_INT, 0);
    }

    private CudaDeviceInfo describe(int multiprocessors) {
        int major = attribute(cuda_runtime_api_h.cudaDevAttrComputeCapabilityMajor());
        int minor = attribute(cuda_runtime_api_h.cudaDevAttrComputeCapabilityMinor());
        Status.runtime(cuda_runtime_api_h.cudaRuntimeGetVersion(scratch), "cudaRuntimeGetVersion");
        int runtime = scratch.get(ValueLayout.JAVA_INT, 0);
        Status.runtime(cuda_runtime_api_h.cudaDriverGetVersion(scratch), "cudaDriverGetVersion");
        int driver = scratch.get(ValueLayout.JAVA_INT, 0);
        Status.driver(cuda_h.cuInit(0), "cuInit");
        Status.driver(cuda_h.cuDeviceGet(scratch, device), "cuDeviceGet(" + device + ")");
        int handle = scratch.get(ValueLayout.JAVA_INT, 0);
        MemorySegment name = arena.allocate(256);
        Status.driver(cuda_h.cuDeviceGetName(name, 256, handle), "cuDeviceGetName");
        return new CudaDeviceInfo(device, name.getString(0), major, minor, multiprocessors, memoryInfo()[1], runtime,
                driver, cublas.version());
    }

    /** {free, total} device memory in bytes, from cudaMemGetInfo. */
    long[] memoryInfo() {
        Status.runtime(cuda_runtime_api_h.cudaMemGetInfo(scratch, scratch.asSlice(8)), "cudaMemGetInfo");
        return new long[] {scratch.get(ValueLayout.JAVA_LONG, 0), scratch.get(ValueLayout.JAVA_LONG, 8)};
    }

    /** Takes the context for device work: fails once closed, makes the device current on this thread. */
    void lock() {
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new IllegalStateException("the CUDA backend is closed");
        }
        bind();
    }

    void unlock() {
        lock.unlock();
    }

    /** Runs device work holding the context ({@link #lock()} around it). */
    void run(Runnable work) {
        lock();
        try {
            work.run();
        } finally {
            unlock();
        }
    }

    /** Runs device work holding the context and returns its result. */
    <T> T call(Supplier<T> work) {
        lock();
        try {
            return work.get();
        } finally {
            unlock();
        }
    }

    private void bind() {
        if (boundThread != Thread.currentThread()) {
            makeCurrent();
        }
    }

    /**
     * Makes the device's primary context current on this thread. cudaSetDevice does that itself from CUDA 12 on;
     * the no-op cudaFree(NULL) forces it on older runtimes, whose driver-API launches would otherwise find no context.
     */
    private void makeCurrent() {
        Status.runtime(cuda_runtime_api_h.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        Status.runtime(cuda_runtime_api_h.cudaFree(MemorySegment.NULL), "cudaFree(NULL)");
        boundThread = Thread.currentThread();
    }

    /** A new device allocation of {@code bytes} (at least 1), tracked until freed. */
    DeviceBuffer allocate(long bytes) {
        lock();
        try {
            int status = cuda_runtime_api_h.cudaMalloc(scratch, Math.max(1, bytes));
            if (status != 0) {
                Status.runtime(status, "cudaMalloc(" + bytes + " bytes)");
            }
            DeviceBuffer buffer = new DeviceBuffer(this, scratch.get(ValueLayout.JAVA_LONG, 0), bytes);
            live.add(buffer);
            liveBytes.addAndGet(bytes);
            return buffer;
        } finally {
            unlock();
        }
    }

    /** Runs a buffer's free under the lock and stops tracking it; works after close (the CUDA context stays). */
    void release(DeviceBuffer buffer, Runnable free) {
        lock.lock();
        try {
            bind();
            if (live.remove(buffer)) {
                liveBytes.addAndGet(-buffer.bytes());
            }
            free.run();
        } finally {
            lock.unlock();
        }
    }

    long liveBytes() {
        return liveBytes.get();
    }

    int liveBuffers() {
        return live.size();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            bind();
            List<DeviceBuffer> leaked = List.copyOf(live);
            if (!leaked.isEmpty()) {
                LOG.log(Level.WARNING, "closing the CUDA backend with {0} arrays ({1} bytes) still open; freeing them",
                        leaked.size(), liveBytes.get());
            }
            RuntimeException failure = null;
            for (DeviceBuffer buffer : leaked) {
                failure = attempt(failure, buffer::freeHeld);
                live.remove(buffer);
            }
            liveBytes.set(0);
            failure = attempt(failure, staging::close);
            failure = attempt(failure, kernels::close);
            failure = attempt(failure, cublas::close);
            failure = attempt(failure, () -> Status.runtime(cuda_runtime_api_h.cudaStreamDestroy(stream), "cudaStreamDestroy"));
            arena.close();
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    private static RuntimeException attempt(RuntimeException failure, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }
}
