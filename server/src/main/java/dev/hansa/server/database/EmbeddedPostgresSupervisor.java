package dev.hansa.server.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded PostgreSQL for the lifetime of the server: owns its data directory ({@link DataDirectoryLock}),
 * clears what a dead owner left there, starts the postmaster, and restarts it on the same directory and port when it
 * dies, however often, until the server stops. PostgreSQL's crash recovery brings back every committed transaction,
 * which with {@link Durability#DURABLE} is every acknowledged update. The connection pool needs no news of a restart:
 * the port stays the same.
 */
final class EmbeddedPostgresSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresSupervisor.class);
    private static final Duration STALE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);
    private static final Duration WATCH_PERIOD = Duration.ofMillis(100);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Map<String, String> settings;
    private final DataDirectoryLock lock;
    private final int port;
    private final Thread watcher;
    private volatile EmbeddedPostgres postgres;
    private volatile ProcessHandle postmaster;
    private volatile boolean closed;

    /**
     * Starts the database; refuses with {@link DataDirectoryInUseException}, touching nothing, when another server
     * owns {@code dataDir}.
     *
     * @param port     0 picks a free port once; restarts keep it
     * @param settings PostgreSQL server settings (name to value), passed on every start
     */
    public EmbeddedPostgresSupervisor(Path dataDir, int port, Map<String, String> settings)
            throws IOException, InterruptedException {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.settings = Map.copyOf(settings);
        this.lock = DataDirectoryLock.acquire(this.dataDir);
        try {
            StalePostmaster.clear(this.dataDir, STALE_TIMEOUT);
            this.postgres = start(port);
            this.port = postgres.getPort();
            this.postmaster = runningPostmaster(this.dataDir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (postgres != null) {
                closeQuietly(postgres);
            }
            lock.close();
            throw e;
        }
        this.watcher = Thread.ofPlatform().name("embedded-postgres-supervisor").daemon().start(this::supervise);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The pid of the running postmaster (the one a {@code kill -9} would hit). */
    public long postmasterPid() {
        return postmaster.pid();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private EmbeddedPostgres start(int port) throws IOException {
        Files.createDirectories(dataDir.getParent());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // Crash recovery replays the WAL written since the last checkpoint before the server accepts logins.
                .setPGStartupWait(Duration.ofMinutes(2))
                .setPort(port);
        // Passed as -c after the library's own -F (fsync off), so a setting of fsync here wins.
        settings.forEach(builder::setServerConfig);
        return builder.start();
    }

    private static ProcessHandle runningPostmaster(Path dataDir) throws IOException {
        PostmasterPidFile pidFile = PostmasterPidFile.read(dataDir).orElseThrow(() ->
                new IllegalStateException("PostgreSQL started but wrote no postmaster.pid in " + dataDir));
        return pidFile.process().orElseThrow(() ->
                new IllegalStateException("the postmaster " + pidFile.pid() + " is not running"));
    }

    /** Checks the postmaster every {@link #WATCH_PERIOD} and restarts it when it is gone. */
    private void supervise() {
        while (!closed) {
            if (!PostmasterPidFile.isRunning(postmaster) && !closed && !JvmShutdown.inProgress()) {
                restart();
            }
            try {
                Thread.sleep(WATCH_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Restarts the dead postmaster, retrying with a growing pause until it runs or the server stops. */
    private void restart() {
        log.error("the embedded PostgreSQL (postmaster pid {}) exited unexpectedly; restarting it on {} port {}",
                postmaster.pid(), dataDir, port);
        long started = System.nanoTime();
        closeQuietly(postgres); // releases the library's lock on the directory; its pg_ctl stop finds nothing to stop
        Duration delay = Duration.ofMillis(250);
        while (!closed && !JvmShutdown.inProgress()) {
            try {
                StalePostmaster.clear(dataDir, STALE_TIMEOUT); // waits for the dead postmaster's children
                EmbeddedPostgres restarted = start(port);
                synchronized (this) {
                    postgres = restarted;
                    if (closed) {
                        closeQuietly(restarted);
                        return;
                    }
                }
                postmaster = runningPostmaster(dataDir);
                log.info("the embedded PostgreSQL is back (postmaster pid {}) after {} ms", postmaster.pid(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("restarting the embedded PostgreSQL failed ({}); trying again in {} ms", e.getMessage(),
                        delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            delay = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay.multipliedBy(2);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.debug("closing the previous embedded PostgreSQL instance", e);
        }
    }

    /** Stops PostgreSQL (fast shutdown) and releases the data directory. */
    @Override
    public void close() throws IOException {
        EmbeddedPostgres current;
        synchronized (this) {
            closed = true;
            current = postgres;
        }
        watcher.interrupt();
        current.close(); // pg_ctl stop -m fast, which gives up after 5 s; the library logs nothing, so check here
        try {
            // A shutdown checkpoint writes every dirty buffer; the directory stays ours until it is done.
            if (!StalePostmaster.awaitExit(postmaster, SHUTDOWN_TIMEOUT)) {
                log.warn("the embedded PostgreSQL (postmaster pid {}) did not stop within {} s; the next start stops it",
                        postmaster.pid(), SHUTDOWN_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.close();
    }
}
