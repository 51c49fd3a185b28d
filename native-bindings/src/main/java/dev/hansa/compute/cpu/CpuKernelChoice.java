package dev.hansa.compute.cpu;

import java.lang.System.Logger.Level;

/**
 * Picks the CPU kernels once per JVM: the Vector API ones when {@code jdk.incubator.vector} is in the boot layer and
 * offers vectors of at least 4 floats, else the scalar ones, and logs which and why (once, on first use).
 */
public final class CpuKernelChoice {

    private static final System.Logger LOG = System.getLogger(CpuKernelChoice.class.getName());

    private CpuKernelChoice() {
    }

    /** The best kernels this JVM can run. */
    public static CpuKernels best() {
        return Holder.BEST;
    }

    /** Why {@link #best()} chose what it chose, for log lines and benchmark reports. */
    public static String reason() {
        return Holder.REASON;
    }

    /** The plain-Java kernels, whatever the JVM offers (tests and benchmarks compare against them). */
    public static CpuKernels scalar() {
        return new ScalarKernels();
    }

    private static final class Holder {
        static final CpuKernels BEST;
        static final String REASON;

        static {
            CpuKernels chosen;
            String reason;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                chosen = new ScalarKernels();
                reason = "jdk.incubator.vector is not in the boot layer; start the JVM with "
                        + "--add-modules jdk.incubator.vector for the Vector API kernels";
            } else {
                CpuKernels panama = new PanamaKernels();
                if (panama.nr() < 8) {
                    chosen = new ScalarKernels();
                    reason = "the Vector API's preferred species holds fewer than 4 floats on this CPU";
                } else {
                    chosen = panama;
                    reason = "jdk.incubator.vector is available";
                }
            }
            BEST = chosen;
            REASON = reason;
            LOG.log(Level.INFO, "CPU kernels: {0} ({1})", chosen.description(), reason);
        }
    }
}
