package dev.hansa.server.database;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.hansa.server.Api;
import dev.hansa.server.DatabaseOutageChecks;
import dev.hansa.server.Eventually;
import dev.hansa.server.FederationFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * A server on an external PostgreSQL (spring.datasource.url; here a PostgreSQL this test runs and stops itself)
 * answers 503 at once while that database is down, says DOWN on health, and when the database is back carries on by
 * itself: the open round closes, the next one opens, uploads are accepted, the federation finishes, with the real
 * clock and orchestrator tick and no restart of the server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its orchestrator ticks for real; nothing else should share it
@ExtendWith(OutputCaptureExtension.class)
class ExternalDatabaseOutageTest {

    private static Path dataDir;
    private static int databasePort;
    private static EmbeddedPostgres database;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path target = Files.createDirectories(Path.of("target"));
        try (var earlier = Files.newDirectoryStream(target, "test-external-db-*")) {
            for (Path old : earlier) {
                FileSystemUtils.deleteRecursively(old);
            }
        }
        dataDir = Files.createTempDirectory(target, "test-external-db-").resolve("pg");
        database = startDatabase(0);
        databasePort = database.getPort();
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres");
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("hansa.admin-token", () -> ADMIN);
        registry.add("hansa.max-upload-size", () -> "64KB");
    }

    private static EmbeddedPostgres startDatabase(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1").start();
    }

    @LocalServerPort
    int port;
    @Autowired
    ObjectProvider<EmbeddedPostgresSupervisor> embedded;

    @Test
    void whileTheDatabaseIsDownRequestsGet503AndWhenItIsBackTheFederationCarriesOnByItself(CapturedOutput log)
            throws Exception {
        assertNull(embedded.getIfAvailable(), "an external database runs no embedded one");
        Api api = new Api(port);
        FederationFixture f = new FederationFixture(api, 2, 2, 600, 1.0, "fedavg");
        f.start();
        Eventually.await("round 1 to open", Duration.ofSeconds(10),
                () -> f.assignment(f.clients.get(0)).json().get("state").asString().equals("ASSIGNED"));
        String round1 = "/api/v1/client/rounds/" + f.roundIdOf(f.clients.get(0)) + "/update";
        assertEquals(202, api.put(round1, f.clients.get(0).credential(), upload(randomDelta(51), 4), "a").status());

        database.close(); // pg_ctl stop -m fast: the server's sessions are terminated, new ones refused
        DatabaseOutageChecks.answers503WhileDown(api, f.clients.get(0).credential());
        database = startDatabase(databasePort);
        Eventually.await("health UP again", Duration.ofSeconds(10), () -> api.get("/actuator/health", null).status() == 200);

        assertEquals(202, api.put(round1, f.clients.get(1).credential(), upload(randomDelta(52), 4), "b").status());
        Eventually.await("round 2 to open", Duration.ofSeconds(10), () -> f.rounds().size() == 2);
        String round2 = "/api/v1/client/rounds/" + f.roundIdOf(f.clients.get(0)) + "/update";
        for (FederationFixture.Client c : f.clients) {
            assertEquals(202, api.put(round2, c.credential(), upload(randomDelta(53), 4), "r2").status());
        }
        Eventually.await("the federation to finish", Duration.ofSeconds(10), () -> f.status().equals("FINISHED"));
        assertEquals(2, f.rounds().get(0).get("accepted").asInt());

        // One line when the outage began, one when it ended; no error per orchestrator tick in between.
        assertEquals(1, occurrences(log.getOut(), "the database is unreachable"), log.getOut());
        assertEquals(1, occurrences(log.getOut(), "the database answers again"), log.getOut());
        assertEquals(0, occurrences(log.getOut(), "orchestration step failed"), log.getOut());
    }

    private static int occurrences(String text, String phrase) {
        return text.split(java.util.regex.Pattern.quote(phrase), -1).length - 1;
    }
}
