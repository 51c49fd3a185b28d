package dev.hansa.server.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a dead owner left in a data directory, before a postmaster starts on it: a postmaster that outlived
 * its server's JVM ({@code kill -9} of the server), and the children of a postmaster that died itself. Call it only
 * while holding the directory's {@link DataDirectoryLock}: the lock is what proves the owner dead. A pid in
 * {@code postmaster.pid} is signalled only when it is a postgres process running on this very directory; the pid of
 * a dead postmaster may since belong to anything.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {
    }

    /** Stops a postmaster left on {@code dataDir} and waits until none of its processes remain. */
    static void clear(Path dataDir, Duration timeout) throws IOException, InterruptedException {
        Optional<PostmasterPidFile> found = PostmasterPidFile.read(dataDir);
        if (found.isEmpty()) {
            return;
        }
        PostmasterPidFile pidFile = found.get();
        Optional<ProcessHandle> process = pidFile.process();
        if (process.isPresent() && isPostmasterOf(process.get(), dataDir)) {
            log.warn("stopping the PostgreSQL postmaster (pid {}) that a previous server left running on {}",
                    pidFile.pid(), dataDir);
            stop(process.get(), timeout);
        } else if (process.isPresent()) {
            log.warn("{} names pid {}, which is no postgres on this directory ({}); leaving that process alone",
                    pidFile.file(), pidFile.pid(), process.get().info().command().orElse("command unknown"));
        }
        awaitDetached(pidFile, timeout);
        // No process of that postmaster is left, so its pid file only stands in the way (its pid may be reused).
        Files.deleteIfExists(pidFile.file());
    }

    /** True when {@code process} is a postgres executable started on {@code dataDir} (its {@code -D} argument). */
    static boolean isPostmasterOf(ProcessHandle process, Path dataDir) {
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false);
        if (!postgres) {
            return false;
        }
        List<String> args = info.arguments().map(List::of).orElse(List.of());
        int d = args.indexOf("-D");
        return d >= 0 && d + 1 < args.size()
                && Path.of(args.get(d + 1)).toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize());
    }

    private static void stop(ProcessHandle postmaster, Duration timeout) throws InterruptedException {
        postmaster.destroy(); // SIGTERM: PostgreSQL's smart shutdown; the dead server's sessions are gone already
        if (!awaitExit(postmaster, timeout)) {
            log.warn("postmaster {} did not stop within {}; killing it", postmaster.pid(), timeout);
            postmaster.destroyForcibly();
            if (!awaitExit(postmaster, timeout)) {
                throw new IllegalStateException("postmaster " + postmaster.pid() + " survived SIGKILL");
            }
        }
    }

    /** Waits until {@code process} has exited (zombies count as exited); false if it still runs at the deadline. */
    static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (PostmasterPidFile.isRunning(process)) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Waits until no process is attached to the postmaster's shared memory: PostgreSQL refuses to start next to
     * children of a dead postmaster, and they leave on their own once they notice.
     */
    static void awaitDetached(PostmasterPidFile pidFile, Duration timeout) throws IOException, InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        boolean logged = false;
        int attached;
        while ((attached = pidFile.attachedProcesses()) > 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(attached + " processes of the dead postmaster " + pidFile.pid()
                        + " are still attached to its shared memory (segment " + pidFile.sharedMemId() + ")");
            }
            if (!logged) {
                log.info("waiting for {} processes of the dead postmaster {} to exit", attached, pidFile.pid());
                logged = true;
            }
            Thread.sleep(50);
        }
    }
}
