package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.ADMIN_PASSWORD;

import dev.hansa.server.round.RoundOrchestrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * The server on a random port over one embedded PostgreSQL, with a clock the tests move and a slow periodic tick
 * (rounds advance on upload signals or when a test calls {@link RoundOrchestrator#tick()}). Every test class that
 * extends it shares one application context, so the database starts once per test run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(EmbeddedServerTest.Clocks.class)
public abstract class EmbeddedServerTest {

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    /**
     * The database lives under target/ (removed by {@code mvn clean}); directories of earlier runs, whose PostgreSQL
     * stopped with their JVM, are deleted first so repeated runs do not pile up.
     */
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path target = Files.createDirectories(Path.of("target"));
        try (var earlier = Files.newDirectoryStream(target, "test-db-*")) {
            for (Path old : earlier) {
                FileSystemUtils.deleteRecursively(old);
            }
        }
        Path dir = Files.createTempDirectory(target, "test-db-");
        registry.add("hansa.database-dir", () -> dir.resolve("pg").toString());
        registry.add("hansa.admin-token", () -> ADMIN);
        registry.add("hansa.admin.password", () -> ADMIN_PASSWORD);
        registry.add("hansa.max-upload-size", () -> "64KB");
        registry.add("hansa.tick", () -> "1h");
        registry.add("hansa.upload-grace", () -> "2s");
        registry.add("hansa.upload-wait", () -> "2s");
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected RoundOrchestrator orchestrator;
    @Autowired
    protected MutableClock clock;
    @Autowired
    protected JdbcClient jdbc;

    protected Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    /**
     * Stops the federations a test left running or paused, so that later tests' ticks do not walk them and no tick is busy
     * when the JVM exits: the embedded PostgreSQL's own shutdown hook stops the database while Spring shuts down,
     * and a tick caught in between waits out the connection pool's timeout.
     */
    @AfterEach
    void stopRunningFederations() {
        for (JsonNode federation : api.get("/api/v1/admin/federations", ADMIN).json()) {
            if (java.util.Set.of("RUNNING", "PAUSED").contains(federation.get("state").asString())) {
                api.post("/api/v1/admin/federations/" + federation.get("id").asString() + "/stop", ADMIN, null);
            }
        }
    }
}
