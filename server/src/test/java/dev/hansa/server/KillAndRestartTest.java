package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.Tensors;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash the ledger exists for: a server process killed with SIGKILL in the middle of a round, restarted on the
 * same data directory (whose PostgreSQL postmaster survived the kill), continues the round without losing or
 * double-counting the update it had accepted.
 */
class KillAndRestartTest {

    @TempDir
    Path dir;
    private Process server;

    private Process startServer(int port) throws IOException {
        return ServerProcess.start(dir.resolve("server-" + System.nanoTime() + ".log"),
                "--hansa.database-dir=" + dir.resolve("pg"), "--hansa.admin-token=" + ADMIN,
                "--server.port=" + port, "--logging.level.root=WARN");
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
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
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
}
