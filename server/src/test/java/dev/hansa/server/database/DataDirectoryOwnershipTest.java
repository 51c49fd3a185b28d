package dev.hansa.server.database;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A second server pointed at the data directory this one owns (what a second {@code hansa serve} or {@code hansa
 * demo} in the same working directory does) refuses to start, names the directory and its owner, and leaves the
 * owner's database running untouched.
 */
class DataDirectoryOwnershipTest extends EmbeddedServerTest {

    @Autowired
    EmbeddedPostgresSupervisor postgres;

    @Test
    void aSecondServerOnTheSameDataDirectoryRefusesToStartAndTouchesNothing() throws Exception {
        long postmaster = postgres.postmasterPid();
        byte[] pidFile = Files.readAllBytes(postgres.dataDir().resolve("postmaster.pid"));
        Path log = Files.createTempFile(postgres.dataDir().getParent(), "second-server-", ".log");

        Process second = ServerProcess.start(log, "--hansa.database-dir=" + postgres.dataDir(),
                "--hansa.admin-token=" + ADMIN, "--server.port=0");
        try {
            assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second server should exit");
        } finally {
            second.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertNotEquals(0, second.exitValue(), output);
        assertTrue(output.contains("APPLICATION FAILED TO START"), output);
        assertTrue(output.contains("The embedded PostgreSQL data directory " + postgres.dataDir()
                + " is in use by another Hansa server (pid " + ProcessHandle.current().pid() + ", started "), output);

        assertEquals(postmaster, postgres.postmasterPid());
        assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the owner's postmaster runs");
        assertArrayEquals(pidFile, Files.readAllBytes(postgres.dataDir().resolve("postmaster.pid")));
        assertEquals(1, jdbc.sql("SELECT 1").query(Integer.class).single());
        assertEquals(200, api.get("/api/v1/admin/federations", ADMIN).status());
    }
}
