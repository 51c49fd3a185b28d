package dev.hansa.server.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.server.Api;
import dev.hansa.server.HansaServerApplication;
import dev.hansa.server.system.HansaProperties;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * Benchmark (not a test): one round of N uploads of a ~10^6-parameter model into an in-process server on loopback,
 * sent by {@link UploadLoad} in a separate JVM so that only the server's memory is measured.
 * Reports upload throughput, the peak heap in use, and the largest live set: a sampler forces a full collection
 * every 50 ms during the round and takes the heap in use at the end of it from the collector's notification. Run it with a small -Xmx to show that
 * ingestion memory is O(model size), not O(clients x model size). With {@code -Dbench.aggregator=median} (any
 * registered aggregator) the federation aggregates with that rule, whose round keeps every update until it closes
 * (off the heap, in the round's file), and the close time says how long the close took after the last upload's
 * answer. Also reports the CPU time of the server JVM,
 * PostgreSQL and the uploading JVM, and PostgreSQL's own account of its work ({@link PostgresWork}), to tell what
 * bounds the throughput:
 * <pre>server/bin/bench-ingest [uploads] [concurrency]</pre>
 */
public final class IngestBenchmark {

    private static final String ADMIN = "ha_bench_admin_token_0123456789";
    /**
     * Forcing a full collection every 50 ms is how the live set is found, and it costs the server CPU: with
     * {@code -Dbench.liveSet=false} the benchmark measures throughput alone.
     */
    private static final boolean SAMPLE_LIVE_SET = Boolean.parseBoolean(System.getProperty("bench.liveSet", "true"));
    /** The federation's {@code robustness.aggregator}. */
    private static final String AGGREGATOR = System.getProperty("bench.aggregator", "mean");

    public static void main(String[] args) throws Exception {
        int uploads = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path dir = Files.createTempDirectory("hansa-bench");
        ConfigurableApplicationContext server = new SpringApplicationBuilder(HansaServerApplication.class).run(
                "--hansa.database-dir=" + dir.resolve("pg"), "--hansa.admin-token=" + ADMIN, "--server.port=0",
                "--logging.level.root=WARN", "--spring.main.banner-mode=off", "--hansa.max-upload-size=16MB",
                "--hansa.live-window=1h");
        try {
            int port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
            Api api = new Api(port);
            Map<String, Object> modelParams = Map.of("inputSize", 784, "hiddenLayers", List.of(1024, 200), "numClasses", 10);
            ModelSpec spec = Architectures.create("mlp", modelParams).spec();
            var created = api.post("/api/v1/admin/federations", ADMIN, Map.of("name", "bench",
                    "model", Map.of("architecture", "mlp", "params", modelParams, "seed", 1),
                    "strategy", Map.of("name", "fedavg"),
                    "robustness", Map.of("aggregator", AGGREGATOR),
                    "schedule", Map.of("rounds", 1, "minClients", uploads, "maxClients", uploads,
                            "roundDeadlineSeconds", 3600, "quorumFraction", 1.0)));
            String federation = created.json().get("id").asString();
            var tokens = api.post("/api/v1/admin/federations/" + federation + "/enrollment-tokens", ADMIN, Map.of("count", uploads));
            List<String> credentials = new ArrayList<>();
            for (var token : tokens.json().get("tokens")) {
                credentials.add(api.post("/api/v1/enroll", token.asString(), Map.of()).json().get("credential").asString());
            }
            api.post("/api/v1/admin/federations/" + federation + "/start", ADMIN, null);
            String round;
            while (true) {
                var a = api.get("/api/v1/client/assignment?waitSeconds=5", credentials.getFirst()).json();
                if (a.get("state").asString().equals("ASSIGNED")) {
                    round = a.get("roundId").asString();
                    break;
                }
            }
            Path credentialFile = dir.resolve("credentials.txt");
            Files.write(credentialFile, credentials);
            Path specFile = dir.resolve("model.safetensors");
            Files.write(specFile, api.get("/api/v1/admin/federations/" + federation + "/models/0", ADMIN).bytes());

            PostgresWork database = PostgresWork.start(JdbcClient.create(server.getBean(DataSource.class)),
                    postmasterPid(Path.of(server.getEnvironment().getProperty("hansa.database-dir"))));
            long baseline = liveHeap();
            HeapSampler sampler = new HeapSampler(SAMPLE_LIVE_SET);
            Thread samplerThread = Thread.ofPlatform().daemon().start(sampler);
            double serverCpuBefore = processCpuSeconds();
            double gcBefore = gcSeconds();
            long start = System.nanoTime();
            Process load = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), UploadLoad.class.getName(),
                    Integer.toString(port), round, credentialFile.toString(), Integer.toString(concurrency),
                    specFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String[] loadReport = new String(load.getInputStream().readAllBytes()).trim().split(" ");
            if (load.waitFor() != 0) {
                throw new IllegalStateException("the upload process failed");
            }
            long loadDone = System.nanoTime();
            double serverCpu = processCpuSeconds() - serverCpuBefore;
            double gc = gcSeconds() - gcBefore;
            double databaseCpu = database.cpuSecondsSinceStart();
            double uploadSeconds = Double.parseDouble(loadReport[0]);
            long bodyLength = Long.parseLong(loadReport[1]);
            double loadCpu = Double.parseDouble(loadReport[2]);
            while (!api.get("/api/v1/admin/federations/" + federation, ADMIN).json().get("state").asString().equals("FINISHED")) {
                Thread.sleep(20);
            }
            double roundSeconds = (System.nanoTime() - start) / 1e9;
            double closeSeconds = (System.nanoTime() - loadDone) / 1e9;
            List<String> databaseReport = database.report();
            sampler.stop = true;
            samplerThread.join();
            double mb = 1024.0 * 1024;
            System.out.printf(Locale.ROOT, "parameters %d, update %.2f MiB, uploads %d, concurrency %d, aggregator %s, "
                            + "max heap %.0f MiB, ingest permits %d, database durability %s%n",
                    spec.parameterCount(), bodyLength / mb, uploads, concurrency, AGGREGATOR,
                    Runtime.getRuntime().maxMemory() / mb,
                    server.getBean(HansaProperties.class).ingestPermits(),
                    server.getEnvironment().getProperty("hansa.database-durability", "durable"));
            System.out.printf(Locale.ROOT, "upload: %.2f s, %.1f uploads/s, %.1f MiB/s; round closed %.2f s after the "
                            + "load started, %.2f s after the last upload's answer%n",
                    uploadSeconds, uploads / uploadSeconds, uploads * bodyLength / mb / uploadSeconds, roundSeconds,
                    closeSeconds);
            if (SAMPLE_LIVE_SET) {
                System.out.printf(Locale.ROOT, "heap: live before %.1f MiB; peak in use %.1f MiB; largest live set %.1f MiB "
                                + "(%.1f model sizes above the baseline); all uploads together %.0f MiB%n",
                        baseline / mb, sampler.peakUsed.get() / mb, sampler.peakLive.get() / mb,
                        (sampler.peakLive.get() - baseline) / (double) bodyLength, uploads * bodyLength / mb);
            } else {
                System.out.printf(Locale.ROOT, "heap: live before %.1f MiB; peak in use %.1f MiB; live set not sampled "
                        + "(-Dbench.liveSet=false)%n", baseline / mb, sampler.peakUsed.get() / mb);
            }
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "CPU while uploading (%.2f s x %d cores = %.1f core-seconds): server JVM %.1f s "
                            + "(%.1f s of it in garbage collection), PostgreSQL %.1f s, upload JVM %.1f s; together %.0f%% "
                            + "of the cores%n",
                    uploadSeconds, cores, uploadSeconds * cores, serverCpu, gc, databaseCpu, loadCpu,
                    100 * (serverCpu + databaseCpu + loadCpu) / (uploadSeconds * cores));
            System.out.println("PostgreSQL during the uploads and the round's close:");
            databaseReport.forEach(line -> System.out.println("  " + line));
        } finally {
            server.close();
            FileSystemUtils.deleteRecursively(dir);
        }
    }

    /** Total pause time of this JVM's collectors (the serial collector does all its work in pauses). */
    private static double gcSeconds() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() / 1000.0;
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * The live set: heap in use at the end of a forced full collection, as the collector reports it in its
     * notification (read before any thread allocates again; the serial collector bench-ingest runs compacts fully).
     */
    private static long liveHeap() {
        long before = LIVE.count.get();
        System.gc();
        while (LIVE.count.get() == before) {
            Thread.onSpinWait();
        }
        return LIVE.last.get();
    }

    private static final LiveSet LIVE = new LiveSet();

    /** Listens to every collection and keeps the heap in use after the latest one caused by System.gc(). */
    private static final class LiveSet implements NotificationListener {
        final AtomicLong last = new AtomicLong();
        final AtomicLong count = new AtomicLong();
        private final Set<String> heapPools = new HashSet<>();

        LiveSet() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(this, null, null);
            }
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (!info.getGcCause().equals("System.gc()")) {
                return;
            }
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            last.set(used);
            count.incrementAndGet();
        }
    }

    /** Samples the heap in use every millisecond and, if asked to, the live set every 50 ms. */
    private static final class HeapSampler implements Runnable {
        final AtomicLong peakUsed = new AtomicLong();
        final AtomicLong peakLive = new AtomicLong();
        final boolean liveSet;
        volatile boolean stop;

        HeapSampler(boolean liveSet) {
            this.liveSet = liveSet;
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            long nextLive = 0;
            while (!stop) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                if (liveSet && System.nanoTime() >= nextLive) {
                    peakLive.accumulateAndGet(liveHeap(), Math::max);
                    nextLive = System.nanoTime() + 50_000_000L;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The embedded postmaster's pid: the first line of the data directory's {@code postmaster.pid}. */
    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim());
    }
}
