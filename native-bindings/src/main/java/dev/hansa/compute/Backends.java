package dev.hansa.compute;

import dev.hansa.compute.cpu.CpuKernelChoice;
import dev.hansa.compute.cuda.CudaBackend;
import dev.hansa.compute.cuda.CudaUnavailableException;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the {@link Backend} for this process and says why in one log line, e.g.
 * {@code backend cuda: NVIDIA H100 ... (HANSA_BACKEND=auto, a CUDA device and cuBLAS were found)} or
 * {@code backend cpu: Vector API, 512-bit vectors ..., 2 threads (HANSA_BACKEND=auto; CUDA unavailable: ...)}.
 *
 * <p>The setting is the system property {@value #PROPERTY}, else the environment variable {@value #ENV}, else
 * {@code auto}: {@code auto} takes CUDA when a device, the driver and cuBLAS are found and the CPU backend otherwise;
 * {@code cuda}, {@code cpu} and {@code java} insist on one (a {@code cuda} that cannot run fails with the reason).
 */
public final class Backends {

    public static final String PROPERTY = "hansa.backend";
    public static final String ENV = "HANSA_BACKEND";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    /** A backend and why it was chosen. */
    public record Choice(Backend backend, String reason) {
    }

    private Backends() {
    }

    /**
     * The backend the setting asks for (default {@code auto}), logged. Each call builds a new backend with its own
     * threads or GPU context: create one per process and share it; close it when done.
     */
    public static Backend fromEnvironment() {
        return log(choose(setting()));
    }

    /** CUDA if usable, else CPU, logged. */
    public static Backend auto() {
        return log(choose("auto"));
    }

    /** The current setting: the system property, then the environment variable, then {@code auto}. */
    public static String setting() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
        }
        return value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
    }

    /** Builds the backend for {@code setting} without logging; throws for unknown settings or an unusable CUDA. */
    public static Choice choose(String setting) {
        return choose(setting, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #choose(String)}, with a CPU backend of {@code cpuThreads} threads: a caller that already runs one
     * task per core (the simulator's workers) asks for one, so that kernels do not hand work to threads that would
     * only compete with its own.
     */
    public static Choice choose(String setting, int cpuThreads) {
        if (cpuThreads < 1) {
            throw new IllegalArgumentException("cpuThreads must be >= 1: " + cpuThreads);
        }
        String source = "HANSA_BACKEND=" + setting;
        return switch (setting) {
            case "auto" -> {
                String unavailable;
                try {
                    CudaBackend cuda = CudaBackend.create();
                    yield new Choice(cuda, cuda.description() + " (" + source + ", a CUDA device and cuBLAS were found)");
                } catch (RuntimeException | LinkageError e) {
                    // auto never fails because of CUDA: a broken install is reported and the CPU takes over.
                    unavailable = e instanceof CudaUnavailableException ? e.getMessage() : e.toString();
                }
                CpuBackend cpu = new CpuBackend(CpuKernelChoice.best(), cpuThreads);
                yield new Choice(cpu, cpu.description() + " (" + source + "; CUDA unavailable: " + unavailable + ")");
            }
            case "cuda" -> {
                CudaBackend cuda = CudaBackend.create();
                yield new Choice(cuda, cuda.description() + " (" + source + ")");
            }
            case "cpu" -> {
                CpuBackend cpu = new CpuBackend(CpuKernelChoice.best(), cpuThreads);
                yield new Choice(cpu, cpu.description() + " (" + source + "; kernels: " + CpuKernelChoice.reason() + ")");
            }
            case "java" -> new Choice(new JavaBackend(), "plain single-threaded Java reference kernels (" + source + ")");
            default -> throw new IllegalArgumentException("unknown backend setting '" + setting + "' (from -D" + PROPERTY
                    + " or " + ENV + "); use auto, cuda, cpu or java");
        };
    }

    private static Backend log(Choice choice) {
        LOG.log(Level.INFO, "backend {0}: {1}", choice.backend().name(), choice.reason());
        return choice.backend();
    }
}
