package dev.hansa.compute.cuda;

import dev.hansa.compute.cuda.bindings.cuda_runtime_api_h;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds and loads the CUDA runtime, the driver and cuBLAS, once per JVM, in the order that gives the most useful
 * error: the runtime first (it is needed to ask for devices), then a device count (which makes the runtime load the
 * driver), then the driver library the runtime mapped (read from {@code /proc/self/maps}, so it is the same file),
 * then cuBLAS (its Lt companion first, from the same directory) with the runtime's major version.
 *
 * <p>Libraries are loaded with {@link System#load}, which makes their symbols visible to the generated bindings'
 * {@code SymbolLookup.loaderLookup()}. No binding class is touched before its library is loaded.
 */
public final class CudaLibraries {

    /** Majors tried for libcudart, newest first; cuBLAS must then have the same major. */
    static final List<Integer> MAJORS = List.of(13, 12, 11);

    /** Which libraries this JVM has loaded, so error reporting only asks a library that is there for its strings. */
    static volatile boolean runtimeLoaded;
    static volatile boolean driverLoaded;
    static volatile boolean cublasLoaded;

    /** What was loaded. */
    public record Loaded(Path cudart, Path driver, Path cublas, int major, int deviceCount) {
    }

    private CudaLibraries() {
    }

    /** Loads everything, or throws {@link CudaUnavailableException} saying what is missing; the outcome is cached. */
    public static Loaded load() {
        Outcome outcome = Holder.OUTCOME;
        if (outcome.failure != null) {
            throw outcome.failure;
        }
        return outcome.loaded;
    }

    record Outcome(Loaded loaded, CudaUnavailableException failure) {
    }

    private static final class Holder {
        static final Outcome OUTCOME = attempt(LibrarySearch.standard());
    }

    static Outcome attempt(LibrarySearch search) {
        try {
            return new Outcome(loadAll(search), null);
        } catch (CudaUnavailableException e) {
            return new Outcome(null, e);
        }
    }

    private static Loaded loadAll(LibrarySearch search) {
        LibrarySearch.Found cudart = search.find("cudart", MAJORS)
                .orElseThrow(() -> notFound("the CUDA runtime (libcudart.so." + majors(MAJORS) + ")", search,
                        "install the CUDA toolkit or pip install nvidia-cuda-runtime"));
        load(cudart.path());
        runtimeLoaded = true;
        int count = deviceCount();
        Path driver = mappedDriver().orElseThrow(() -> new CudaUnavailableException(
                "the CUDA runtime initialised but libcuda.so.1 is not mapped into this process"));
        load(driver);
        driverLoaded = true;
        List<Integer> major = List.of(cudart.major());
        LibrarySearch.Found cublas = search.find("cublas", major)
                .orElseThrow(() -> notFound("cuBLAS (libcublas.so." + cudart.major() + ", matching the runtime "
                        + cudart.path() + ")", search, "install cuBLAS or pip install nvidia-cublas"));
        Path lt = cublas.path().resolveSibling("libcublasLt.so." + cudart.major());
        if (Files.isRegularFile(lt)) {
            load(lt); // so that libcublas resolves its dependency by soname even outside the loader's search path
        }
        load(cublas.path());
        cublasLoaded = true;
        return new Loaded(cudart.path(), driver, cublas.path(), cudart.major(), count);
    }

    private static void load(Path library) {
        try {
            System.load(library.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new CudaUnavailableException("could not load " + library + ": " + e.getMessage(), e);
        }
    }

    private static int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int status = cuda_runtime_api_h.cudaGetDeviceCount(count);
            if (status != 0) {
                throw new CudaUnavailableException("no usable CUDA device: "
                        + Status.runtimeError(status, "cudaGetDeviceCount").getMessage()
                        + (status == CudaError.cudaErrorInsufficientDriver.code()
                        ? " (no NVIDIA driver, or one older than the runtime)" : ""));
            }
            int devices = count.get(ValueLayout.JAVA_INT, 0);
            if (devices == 0) {
                throw new CudaUnavailableException("the CUDA runtime reports no device");
            }
            return devices;
        }
    }

    /** The driver library the runtime loaded, read from this process's memory map. */
    static Optional<Path> mappedDriver() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(path -> path.startsWith("/") && Path.of(path).getFileName().toString().startsWith("libcuda.so"))
                    .findFirst()
                    .map(Path::of);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static CudaUnavailableException notFound(String what, LibrarySearch search, String hint) {
        String searched = search.existing().stream().map(Path::toString).collect(Collectors.joining(", "));
        return new CudaUnavailableException(what + " not found; searched " + (searched.isEmpty() ? "nothing that exists"
                : searched) + ". Set CUDA_HOME or LD_LIBRARY_PATH, or -D" + LibrarySearch.PROPERTY + "=DIR, or "
                + hint + ".");
    }

    private static String majors(List<Integer> majors) {
        return majors.stream().map(String::valueOf).collect(Collectors.joining("|"));
    }
}
