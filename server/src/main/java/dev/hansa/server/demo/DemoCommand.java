package dev.hansa.server.demo;

import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.BuiltInTrainer;
import dev.hansa.client.HansaClient;
import dev.hansa.client.HansaClientConfig;
import dev.hansa.client.cli.FederationOptions;
import dev.hansa.client.cli.Options;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.simulation.FederatedData;
import dev.hansa.client.training.Evaluation;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import dev.hansa.server.HansaServerApplication;
import dev.hansa.server.system.Secrets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code hansa demo}: starts the server on its embedded PostgreSQL, creates a federation through the admin API and
 * runs real {@link HansaClient}s over HTTP against it, printing one line per closed round (participants, accuracy and
 * loss of the new global model on the held-out test set, bytes moved). Everything lands in the database as in
 * production; docs/operations.md shows the SQL to inspect it. The server and its console stay up after the federation
 * ends (unless {@code --stay false}), with the login printed, so the run just watched can be looked at in a browser.
 */
public final class DemoCommand {

    /** Local SGD with momentum 0.9 at lr 0.03: 80% test accuracy on Fashion-MNIST by round 6 or 7 (README). */
    static final FederationOptions.Defaults DEFAULTS = new FederationOptions.Defaults(10, 20, "0.03", "32", "1", "0.9");

    private DemoCommand() {
    }

    public static int run(String[] args) throws Exception {
        Options o = FederationOptions.declare(new Options(), DEFAULTS)
                .option("data-dir", "hansa-data", "where the embedded PostgreSQL and client state live")
                .option("port", "0", "HTTP port on 127.0.0.1 (0: any free port)")
                .option("stay", "true", "keep the server and its console running after the federation ends "
                        + "(false: exit)");
        FederationOptions f;
        int port;
        boolean stay;
        try {
            if (!o.parse(args)) {
                System.out.print(o.usage("hansa demo"));
                return 0;
            }
            f = FederationOptions.read(o);
            f.rounds(1.0, f.clients(), f.clients()); // every round flag is checked before the server starts
            port = o.integer("port");
            stay = switch (o.string("stay")) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("--stay must be true or false: " + o.string("stay"));
            };
        } catch (IllegalArgumentException e) {
            System.err.println("hansa demo: " + e.getMessage());
            return 2;
        }
        int clients = f.clients();
        Path dataDir = Path.of(o.string("data-dir")).toAbsolutePath();
        FederatedData data = f.loadData(msg -> System.out.println("note: " + msg));
        TrainableModel architecture = TrainableModels.create(f.model(), f.modelParams(data));
        String adminToken = Secrets.generate("ha_");
        String password = DemoLogin.password(dataDir);
        System.out.println("starting the Hansa server (embedded PostgreSQL in " + dataDir.resolve("postgres") + ") ...");
        ConfigurableApplicationContext server;
        try {
            server = new SpringApplicationBuilder(HansaServerApplication.class)
                    .run("--hansa.database-dir=" + dataDir.resolve("postgres"), "--hansa.admin-token=" + adminToken,
                            "--hansa.admin.password=" + password, "--server.port=" + port, "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        } catch (RuntimeException e) {
            // Spring Boot has already printed why (its failure analysis, or the stack trace when it has none).
            System.err.println("hansa demo: the server did not start; see the report above.");
            return 1;
        }
        List<Thread> threads = new ArrayList<>();
        // One backend for every client and the evaluation: its kernels are thread-safe and share one worker pool.
        Backends.Choice choice = f.chooseBackend();
        Backend backend = choice.backend();
        System.out.println("backend " + backend.name() + ": " + choice.reason());
        int status = 1;
        boolean watched = false;
        String base = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
        String console = "console " + base + "/console, log in as " + DemoLogin.USER + " with password " + password
                + " (kept in " + DemoLogin.file(dataDir) + ")";
        try {
            AdminApi admin = new AdminApi(base, adminToken);
            JsonNode federation = admin.post("/api/v1/admin/federations", federationRequest(f, data));
            String id = federation.get("id").asString();
            JsonNode tokens = admin.post("/api/v1/admin/federations/" + id + "/enrollment-tokens", Map.of("count", clients));
            for (int i = 0; i < clients; i++) {
                var config = new HansaClientConfig(URI.create(base), tokens.get("tokens").get(i).asString(),
                        dataDir.resolve("clients").resolve(id).resolve("client-" + i), "demo-" + i,
                        Map.of("backend", backend.name()), Duration.ofSeconds(20), null, 8, null, null);
                var trainer = new BuiltInTrainer(architecture, data.clients().get(i), testShare(data.test(), i, clients),
                        backend);
                threads.add(Thread.ofPlatform().name("demo-client-" + i).start(() -> runClient(config, trainer)));
            }
            admin.post("/api/v1/admin/federations/" + id + "/start", Map.of());
            System.out.printf(Locale.ROOT, "federation %s: %s, %s %s, %s, %d SDK clients over HTTP at %s%n",
                    id, data.name(), f.model(), f.modelParams(data), f.strategy(), clients, base);
            System.out.println("watch it live: " + console);
            status = watch(admin, id, f.rounds(), architecture, data, backend);
            watched = true;
        } finally {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join(10_000);
            }
            if (!stay || !watched) {
                server.close();
                backend.close();
            }
        }
        if (!stay) {
            return status;
        }
        System.out.println("the server keeps running: " + console + ". Ctrl-C stops it.");
        new CountDownLatch(1).await(); // until Ctrl-C, whose shutdown hook closes the server
        return status;
    }

    /**
     * Client {@code i}'s share of the test set (every {@code clients}-th example from {@code i}), on which it evaluates
     * each round's model: the shares are equal to one example, so the mean of the clients' accuracies that the
     * console plots is the accuracy on the whole test set to within that.
     */
    static Dataset testShare(Dataset test, int i, int clients) {
        return test.subset(IntStream.range(0, test.size()).filter(j -> j % clients == i).toArray());
    }

    /** The create-federation request: every client takes part in every round; 80% of them close it. */
    static Map<String, Object> federationRequest(FederationOptions f, FederatedData data) {
        return Map.of(
                "name", "demo " + data.name(),
                "model", Map.of("architecture", f.model(), "params", f.modelParams(data), "seed", f.seed()),
                "strategy", Map.of("name", f.strategy(), "params", f.strategyParams()),
                "training", f.training(),
                "update", f.update(),
                "robustness", f.robustness(),
                "schedule", Map.of("rounds", f.rounds(), "sampler", f.sampler(), "clientFraction", 1.0,
                        "minClients", f.clients(), "maxClients", f.clients(), "roundDeadlineSeconds", 600,
                        "quorumFraction", 0.8),
                "seed", f.seed());
    }

    private static void runClient(HansaClientConfig config, BuiltInTrainer trainer) {
        try (HansaClient client = new HansaClient(config, trainer)) {
            client.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println(Thread.currentThread().getName() + " stopped: " + e.getMessage());
        }
    }

    /** Prints a line per closed round until the federation ends; returns the exit status. */
    private static int watch(AdminApi admin, String id, int rounds, TrainableModel architecture, FederatedData data,
                             Backend backend) throws Exception {
        long start = System.nanoTime();
        int printed = 0;
        double lastAccuracy = Double.NaN;
        while (true) {
            JsonNode roundList = admin.get("/api/v1/admin/federations/" + id + "/rounds");
            for (JsonNode r : roundList) {
                if (r.get("number").asInt() <= printed || !"CLOSED".equals(r.get("state").asString())) {
                    if ("FAILED".equals(r.get("state").asString()) && r.get("number").asInt() > printed) {
                        System.out.printf("round %d attempt %d failed: %s%n", r.get("number").asInt(),
                                r.get("attempt").asInt(), r.get("failureReason").asString());
                    }
                    continue;
                }
                int number = r.get("number").asInt();
                Tensors model = modelOf(admin, id, number);
                Evaluation e = architecture.evaluate(model, data.test(), backend);
                long up = 0;
                for (JsonNode p : admin.get("/api/v1/admin/rounds/" + r.get("id").asString() + "/participants")) {
                    up += p.path("bytesReceived").asLong(0);
                }
                long down = (long) r.get("participants").asInt() * Safetensors.write(model, Map.of()).length;
                System.out.printf(Locale.ROOT, "round %2d/%d  participants %d/%d  test accuracy %.4f  loss %.4f  up %.1f MB  down %.1f MB  %.0fs%n",
                        number, rounds, r.get("accepted").asInt(), r.get("participants").asInt(), e.accuracy(), e.loss(),
                        up / 1e6, down / 1e6, (System.nanoTime() - start) / 1e9);
                printed = number;
                lastAccuracy = e.accuracy();
            }
            String status = admin.get("/api/v1/admin/federations/" + id).get("state").asString();
            if ((status.equals("FINISHED") && printed >= rounds) || status.equals("FAILED") || status.equals("STOPPED")) {
                System.out.printf(Locale.ROOT, "federation %s %s after %d rounds; final test accuracy %.4f. "
                        + "Rounds, participants and model versions are in PostgreSQL (see docs/operations.md).%n",
                        id, status, printed, lastAccuracy);
                return status.equals("FINISHED") ? 0 : 1;
            }
            Thread.sleep(300);
        }
    }

    /** The model version produced by round {@code number} (version numbers count closed rounds). */
    private static Tensors modelOf(AdminApi admin, String id, int number) throws Exception {
        for (JsonNode m : admin.get("/api/v1/admin/federations/" + id + "/models")) {
            if (m.get("version").asInt() == number) {
                return Safetensors.read(admin.bytes("/api/v1/admin/federations/" + id + "/models/" + number)).tensors();
            }
        }
        throw new IllegalStateException("no model version " + number);
    }
}
