package dev.hansa.server.bench;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.server.Api;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The load side of {@link IngestBenchmark}, run in its own JVM so that its buffers do not count in the server's heap:
 * uploads one update per credential to a round from {@code concurrency} connections and prints the seconds it took,
 * the body length and the CPU seconds this JVM spent sending.
 * Arguments: port, round id, credentials file (one per line), concurrency, spec file (safetensors of the model).
 */
public final class UploadLoad {

    private UploadLoad() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = "/api/v1/client/rounds/" + args[1] + "/update";
        List<String> credentials = Files.readAllLines(Path.of(args[2]));
        int concurrency = Integer.parseInt(args[3]);
        ModelSpec spec = Safetensors.read(Files.readAllBytes(Path.of(args[4]))).tensors().spec();
        byte[] body = Safetensors.write(randomUpdate(spec), Map.of("num_samples", "100"));
        Api api = new Api(port);
        double cpuBefore = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (String credential : credentials) {
                results.add(pool.submit(() -> api.put(path, credential, body, "bench").status()));
            }
            for (Future<Integer> r : results) {
                if (r.get() != 202) {
                    throw new IllegalStateException("upload answered " + r.get());
                }
            }
        }
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        System.out.println((System.nanoTime() - start) / 1e9 + " " + body.length + " " + (cpu - cpuBefore));
    }

    private static Tensors randomUpdate(ModelSpec spec) {
        float[] values = new float[spec.parameterCount()];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() - 0.5) * 1e-3f;
        }
        return new Tensors(spec, values);
    }
}
