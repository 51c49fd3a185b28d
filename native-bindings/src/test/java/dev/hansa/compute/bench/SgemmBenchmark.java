package dev.hansa.compute.bench;

import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import dev.hansa.compute.CpuBackend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;
import dev.hansa.compute.cpu.CpuKernelChoice;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * C = op(A) op(B) (row-major, beta 0) on the backend named by {@code backend} (cpu, cuda or java). {@code shape} is
 * either n (square, no transposes) or "MxNxK" followed by the two transpose letters, e.g. 256x1024x784NT for the MLP's
 * first forward product. GFLOP/s = 2 m n k / time; bin/bench converts. Device backends synchronise inside the
 * measured operation, so the time covers the kernel, not only its launch.
 *
 * <p>With the system property {@value #REPORT} set to a file, each trial appends one JSON line saying how many
 * threads did the work: the benchmark thread and every CPU-backend worker ({@code hansa-cpu-*}) whose CPU time over
 * the trial reached a tenth of the benchmark thread's. bin/bench checks it against the threads it asked for, so a
 * "1 thread" figure cannot silently come from two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SgemmBenchmark {

    /** System property naming the file the thread report is appended to. */
    public static final String REPORT = "hansa.bench.report";

    private static final Pattern SHAPE = Pattern.compile("(\\d+)x(\\d+)x(\\d+)([NT])([NT])");

    @Param({"512", "1024", "2048"})
    public String shape;

    @Param({"cpu"})
    public String backend;

    /** Threads for the cpu backend; 0 means one per available processor. */
    @Param({"0"})
    public int threads;

    private Backend be;
    private FloatArray a;
    private FloatArray b;
    private FloatArray c;
    private int m;
    private int n;
    private int k;
    private boolean ta;
    private boolean tb;
    private Map<Long, Long> cpuAtStart;

    @Setup(Level.Trial)
    public void setUp() {
        Matcher parsed = SHAPE.matcher(shape);
        if (parsed.matches()) {
            m = Integer.parseInt(parsed.group(1));
            n = Integer.parseInt(parsed.group(2));
            k = Integer.parseInt(parsed.group(3));
            ta = parsed.group(4).equals("T");
            tb = parsed.group(5).equals("T");
        } else {
            m = n = k = Integer.parseInt(shape);
        }
        be = backend.equals("cpu") && threads > 0 ? new CpuBackend(CpuKernelChoice.best(), threads)
                : Backends.choose(backend).backend();
        a = random(be, (long) m * k, 1);
        b = random(be, (long) k * n, 2);
        c = be.allocate((long) m * n);
        cpuAtStart = kernelThreadCpu();
    }

    /** CPU nanoseconds by thread id of the threads that may run kernels: this one and the CPU backend's workers. */
    private static Map<Long, Long> kernelThreadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && (info.getThreadId() == Thread.currentThread().threadId()
                    || info.getThreadName().startsWith("hansa-cpu-"))) {
                cpu.put(info.getThreadId(), mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return cpu;
    }

    /** One JSON line: threads asked for, threads that did at least a tenth of this thread's work, CPU seconds each. */
    private String threadReport() {
        Map<Long, Long> now = kernelThreadCpu();
        long self = Thread.currentThread().threadId();
        long mine = now.get(self) - cpuAtStart.getOrDefault(self, 0L);
        List<String> seconds = new ArrayList<>();
        int used = 0;
        for (Map.Entry<Long, Long> e : now.entrySet()) {
            long spent = e.getValue() - cpuAtStart.getOrDefault(e.getKey(), 0L);
            seconds.add(String.format(Locale.ROOT, "%.3f", spent / 1e9));
            if (spent * 10 >= mine) {
                used++;
            }
        }
        return String.format(Locale.ROOT, "{\"shape\": \"%s\", \"backend\": \"%s\", \"threads\": %d, \"used\": %d, "
                + "\"cpu_seconds\": %s}", shape, backend, threads, used, seconds);
    }

    private static FloatArray random(Backend be, long length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] host = new float[(int) length];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) (r.nextDouble() - 0.5);
        }
        return be.upload(host);
    }

    @Benchmark
    public void sgemm() {
        be.gemm(ta ? Transpose.YES : Transpose.NO, tb ? Transpose.YES : Transpose.NO, m, n, k,
                1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);
        be.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        String report = System.getProperty(REPORT);
        if (report != null) {
            Files.writeString(Path.of(report), threadReport() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        a.close();
        b.close();
        c.close();
        be.close();
    }
}
