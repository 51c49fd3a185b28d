package dev.hansa.server.bench;

import dev.hansa.server.Api;
import dev.hansa.server.FederationFixture;
import dev.hansa.server.HansaServerApplication;
import dev.hansa.server.console.ConsoleSession;
import dev.hansa.server.console.ConsoleUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark (not a test): what the federation page's live fragment costs per poll (the console polls it every two
 * seconds per open page), for a federation without DP, with a fixed noise multiplier, and with a
 * {@code privacy.targetEpsilon} that the noise planner turns into one. An in-process server on loopback, one
 * console session polling sequentially; reports the mean and median wall time per poll after a warm-up:
 * <pre>server/bin/bench-live-poll [polls]</pre>
 */
public final class LivePollBenchmark {

    private static final int WARM_UP = 100;

    public static void main(String[] args) throws Exception {
        int polls = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path dir = Files.createTempDirectory("hansa-bench");
        ConfigurableApplicationContext server = new SpringApplicationBuilder(HansaServerApplication.class).run(
                "--hansa.database-dir=" + dir.resolve("pg"), "--hansa.admin-token=" + FederationFixture.ADMIN,
                "--server.port=0", "--logging.level.root=WARN", "--spring.main.banner-mode=off");
        try {
            int port = Integer.parseInt(server.getEnvironment().getProperty("local.server.port"));
            Api api = new Api(port);
            ConsoleUsers.ensure(api);
            ConsoleSession session = new ConsoleSession(port).logIn(ConsoleUsers.VIEWER);
            Map<String, Map<String, Object>> privacy = new LinkedHashMap<>();
            privacy.put("no DP", null);
            privacy.put("DP, noiseMultiplier", Map.of("noiseMultiplier", 1.1, "clipNorm", 1.0, "delta", 1e-5));
            privacy.put("DP, targetEpsilon", Map.of("targetEpsilon", 3.0, "clipNorm", 1.0, "delta", 1e-5));
            System.out.printf(Locale.ROOT, "%d polls each after %d to warm up; 1000 rounds, Poisson sampling q = 0.01%n",
                    polls, WARM_UP);
            for (Map.Entry<String, Map<String, Object>> kind : privacy.entrySet()) {
                String live = "/console/federations/" + create(api, kind.getValue()) + "/live";
                poll(session, live, WARM_UP);
                double[] ms = poll(session, live, polls);
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "%-20s mean %.2f ms, median %.2f ms per poll%n", kind.getKey(),
                        Arrays.stream(ms).average().orElseThrow(), ms[ms.length / 2]);
            }
        } finally {
            server.close();
        }
    }

    /** A CREATED federation of 1000 Poisson-sampled rounds with {@code privacy} (none when null); its id. */
    private static String create(Api api, Map<String, Object> privacy) {
        Map<String, Object> config = FederationFixture.config(1, 1000, 60, 1.0, "fedavg");
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("weighting", "uniform")));
        config.put("schedule", new HashMap<>(Map.of("rounds", 1000, "minClients", 1, "maxClients", 1000,
                "sampler", "poisson", "clientFraction", 0.01)));
        if (privacy != null) {
            config.put("privacy", privacy);
        }
        Api.Reply created = api.post("/api/v1/admin/federations", FederationFixture.ADMIN, config);
        if (created.status() != 201) {
            throw new IllegalStateException(new String(created.bytes()));
        }
        return created.json().get("id").asString();
    }

    /** Wall milliseconds of each of {@code count} sequential polls. */
    private static double[] poll(ConsoleSession session, String path, int count) {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            int status = session.exchange("GET", path, "text/html").statusCode();
            ms[i] = (System.nanoTime() - start) / 1e6;
            if (status != 200) {
                throw new IllegalStateException(path + " answered " + status);
            }
        }
        return ms;
    }
}
