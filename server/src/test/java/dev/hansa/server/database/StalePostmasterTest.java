package dev.hansa.server.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a server may and may not do to the processes a data directory's leftovers name. */
class StalePostmasterTest {

    @TempDir
    Path dir;

    @Test
    void aLivePidInPostmasterPidThatIsNoPostgresIsLeftAloneAndTheStaleFileRemoved() throws Exception {
        Process bystander = new ProcessBuilder("sleep", "60").start();
        try {
            Path dataDir = Files.createDirectories(dir.resolve("pg"));
            Files.writeString(dataDir.resolve("postmaster.pid"), bystander.pid() + "\n" + dataDir + "\n");
            StalePostmaster.clear(dataDir, Duration.ofSeconds(5));
            assertTrue(bystander.isAlive(), "a reused pid must not be signalled");
            assertFalse(Files.exists(dataDir.resolve("postmaster.pid")));
        } finally {
            bystander.destroyForcibly().waitFor();
        }
    }

    @Test
    void theLockRefusesASecondOwnerAndNamesTheFirst() throws Exception {
        Path dataDir = dir.resolve("pg");
        DataDirectoryLock first = DataDirectoryLock.acquire(dataDir);
        try {
            DataDirectoryInUseException refused = assertThrows(DataDirectoryInUseException.class,
                    () -> DataDirectoryLock.acquire(dataDir));
            assertTrue(refused.owner().startsWith("pid " + ProcessHandle.current().pid() + ", started "),
                    refused.owner());
        } finally {
            first.close();
        }
        DataDirectoryLock.acquire(dataDir).close(); // released with its owner
    }
}
