package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash the ledger exists for: a server process killed with SIGKILL in the middle of a round, restarted on the
 * same data directory (whose PostgreSQL postmaster survived the kill), continues the round without losing or
 * double-counting the update it had accepted; a robust round, whose updates the server keeps in a round file, ends
 * with the same model as an uninterrupted one.
 */
class KillAndRestartTest {

    @TempDir
    Path dir;
    private Process server;

    private Process startServer(int port) throws IOException {
        return startServer(port, dir.resolve("server-" + System.nanoTime() + ".log"));
    }

    private Process startServer(int port, Path log) throws IOException {
        return ServerProcess.start(log, "--hansa.database-dir=" + dir.resolve("pg"), "--hansa.admin-token=" + ADMIN,
                "--server.port=" + port, "--logging.level.root=WARN", "--logging.level.dev.hansa.server.round=INFO");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean healthy(Api api) {
        try {
            return api.get("/actuator/health", null).status() == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy(); // SIGTERM: Spring shuts the embedded PostgreSQL down
            server.waitFor();
        }
    }

    @Test
    void acceptedUpdatesSurviveSigkillAndAreNotCountedTwice() throws Exception {
        int port = freePort();
        Api api = new Api(port);
        server = startServer(port);
        Eventually.await("server start", Duration.ofSeconds(90), () -> healthy(api));

        FederationFixture f = new FederationFixture(api, 2, 1, 600, 1.0, "fedavg");
        Tensors before = f.latestModel();
        f.start();
        Eventually.await("round to open", Duration.ofSeconds(20), () -> f.assignment(f.clients.get(0)).json().get("state").asString().equals("ASSIGNED"));
        String round = f.roundIdOf(f.clients.get(0));
        String path = "/api/v1/client/rounds/" + round + "/update";
        Tensors d1 = randomDelta(21), d2 = randomDelta(22);
        assertEquals(202, api.put(path, f.clients.get(0).credential(), upload(d1, 7), "first").status());
        FederationFixture paused = new FederationFixture(api, 1, 1, 600, 1.0, "fedavg");
        paused.start();
        assertEquals(200, api.post("/api/v1/admin/federations/" + paused.federationId + "/pause", ADMIN, null)
                .status());
        for (tools.jackson.databind.JsonNode r : paused.rounds()) { // a round may have opened before the pause
            assertEquals(200, api.post("/api/v1/admin/rounds/" + r.get("id").asString() + "/cancel", ADMIN, null).status());
        }

        server.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, PostgreSQL keeps running
        server = startServer(port);
        Eventually.await("server restart", Duration.ofSeconds(90), () -> healthy(api));

        Api.Reply retry = api.put(path, f.clients.get(0).credential(), upload(d1, 7), "first");
        assertEquals(200, retry.status(), "a retried upload after the restart is recognised");
        for (FederationFixture.Client c : f.clients) {
            api.post("/api/v1/client/heartbeat", c.credential(), Map.of());
        }
        assertEquals(202, api.put(path, f.clients.get(1).credential(), upload(d2, 21), "second").status());
        Eventually.await("federation to finish", Duration.ofSeconds(20), () -> f.status().equals("FINISHED"));

        api.post("/api/v1/client/heartbeat", paused.clients.getFirst().credential(), Map.of());
        assertEquals("PAUSED", paused.status(), "a pause survives the restart");
        assertTrue(paused.rounds().stream().noneMatch(r -> r.get("state").asString().equals("OPEN")),
                "no round opened while paused, though its client is live and the orchestrator ticked meanwhile");
        assertEquals(200, api.post("/api/v1/admin/federations/" + paused.federationId + "/resume", ADMIN, null).status());
        Eventually.await("a round to open after resuming", Duration.ofSeconds(20),
                () -> paused.assignment(paused.clients.getFirst()).json().get("state").asString().equals("ASSIGNED"));

        Tensors after = f.latestModel();
        for (int i = 0; i < before.values().length; i++) {
            double expected = before.values()[i] + (7.0 * d1.values()[i] + 21.0 * d2.values()[i]) / 28.0;
            assertEquals(expected, after.values()[i], 1e-6, "parameter " + i);
        }
        List<tools.jackson.databind.JsonNode> rounds = f.rounds();
        assertEquals(1, rounds.size());
        assertEquals(2, rounds.getFirst().get("accepted").asInt());
        assertTrue(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith("server-")));
    }

    /** A median federation of three clients over a 203,530-parameter MLP, every one with the same initial model. */
    private static FederationFixture robust(Api api) {
        Map<String, Object> config = FederationFixture.config(3, 1, 600, 1.0, "fedavg");
        config.put("model", Map.of("architecture", "mlp", "params", ROBUST_MODEL, "seed", 5));
        config.put("robustness", Map.of("aggregator", "median"));
        return new FederationFixture(api, 3, config);
    }

    private static final Map<String, Object> ROBUST_MODEL = Map.of("inputSize", 784, "hiddenLayers", List.of(256),
            "numClasses", 10);

    private static Tensors robustDelta(long seed) {
        ModelSpec spec = DenseArchitecture.mlp(784, new int[] {256}, 10).spec();
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[spec.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new Tensors(spec, v);
    }

    private static int send(Api api, FederationFixture f, int client, Tensors delta) {
        FederationFixture.Client c = f.clients.get(client);
        String round = f.roundIdOf(c);
        return api.put("/api/v1/client/rounds/" + round + "/update", c.credential(), upload(delta, 10 + client),
                "k" + client).status();
    }

    private static String versionOneHash(Api api, FederationFixture f) {
        Api.Reply model = api.get("/api/v1/admin/federations/" + f.federationId + "/models/1", ADMIN);
        assertEquals(200, model.status());
        return ContentHash.of(model.bytes());
    }

    @Test
    void aRobustRoundKilledBeforeOrDuringItsCloseEndsWithTheModelOfAnUninterruptedRound() throws Exception {
        int port = freePort();
        Api api = new Api(port);
        Path firstLog = dir.resolve("server-first.log");
        server = startServer(port, firstLog);
        Eventually.await("server start", Duration.ofSeconds(90), () -> healthy(api));
        Tensors[] deltas = {robustDelta(1), robustDelta(2), robustDelta(3)};

        FederationFixture uninterrupted = robust(api);
        FederationFixture partial = robust(api);
        List<FederationFixture> racing = List.of(robust(api), robust(api), robust(api));
        List<FederationFixture> all = new ArrayList<>(List.of(uninterrupted, partial));
        all.addAll(racing);
        for (FederationFixture f : all) {
            f.start();
            Eventually.await("round to open", Duration.ofSeconds(20),
                    () -> f.assignment(f.clients.get(2)).json().get("state").asString().equals("ASSIGNED"));
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(202, send(api, uninterrupted, c, deltas[c]));
        }
        Eventually.await("uninterrupted round", Duration.ofSeconds(20),
                () -> uninterrupted.status().equals("FINISHED"));
        String expected = versionOneHash(api, uninterrupted);

        Path roundFiles = dir.resolve("rounds");
        String partialRound = partial.roundIdOf(partial.clients.get(0));
        assertEquals(202, send(api, partial, 0, deltas[0]));
        assertEquals(202, send(api, partial, 1, deltas[1]));
        assertTrue(Files.exists(roundFiles.resolve(partialRound + ".rows")), "the open round's rows are in its file");
        for (FederationFixture f : racing) {
            assertEquals(202, send(api, f, 0, deltas[0]));
            assertEquals(202, send(api, f, 1, deltas[1]));
        }
        // The last uploads: each round closes at once, one after the other on the orchestrator's thread, so the kill
        // right after the last 202 finds them closed, closing, or not yet closing.
        for (FederationFixture f : racing) {
            assertEquals(202, send(api, f, 2, deltas[2]));
        }
        server.destroyForcibly().waitFor();

        Path secondLog = dir.resolve("server-second.log");
        server = startServer(port, secondLog);
        Eventually.await("server restart", Duration.ofSeconds(90), () -> healthy(api));
        assertTrue(Files.readString(secondLog).contains("round file(s) an earlier run left"),
                "the restarted server discards the killed one's round files");
        String before = Files.readString(firstLog);
        long closedBeforeKill = racing.stream()
                .filter(f -> before.contains("federation " + f.federationId + " round 1 (attempt 1) closed")).count();
        System.out.println(closedBeforeKill + " of the 3 racing rounds had closed when the server was killed");
        List<FederationFixture> interrupted = new ArrayList<>(racing);
        interrupted.add(partial);
        for (FederationFixture f : interrupted) {
            for (FederationFixture.Client c : f.clients) {
                api.post("/api/v1/client/heartbeat", c.credential(), Map.of());
            }
        }
        assertEquals(202, send(api, partial, 2, deltas[2]));
        for (FederationFixture f : interrupted) {
            Eventually.await("federation to finish", Duration.ofSeconds(30), () -> f.status().equals("FINISHED"));
            assertEquals(expected, versionOneHash(api, f), "same model version as the uninterrupted round");
            assertEquals(3, f.rounds().getFirst().get("accepted").asInt());
        }
        try (var left = Files.list(roundFiles)) {
            assertEquals(List.of(), left.toList(), "no round file outlives its round");
        }
    }
}
