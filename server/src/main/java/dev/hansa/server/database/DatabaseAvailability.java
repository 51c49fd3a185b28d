package dev.hansa.server.database;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database answers, known without waiting: a probe thread keeps one connection of its own, outside the
 * pool (so a busy pool never looks like an outage), and checks it every {@code interval}. Requests, health and the orchestrator read the last verdict; only the probe ever waits on the network.
 * An outage and the recovery are logged once each. On recovery the pool drops its connections to the old server.
 */
public final class DatabaseAvailability implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);
    private static final int TIMEOUT_SECONDS = 5;

    private final HikariDataSource pool;
    private final Duration interval;
    private final Thread probe;
    private volatile boolean available = true;
    private volatile Instant downSince;
    private volatile String lastError;
    private volatile boolean closed;
    private Connection connection;

    public DatabaseAvailability(HikariDataSource pool, Duration interval) {
        this.pool = pool;
        this.interval = interval;
        this.probe = Thread.ofPlatform().name("hansa-database-probe").daemon().start(this::run);
    }

    /** The last verdict; never waits. */
    public boolean available() {
        return available;
    }

    /** When the current outage began, or null while the database answers. */
    public Instant downSince() {
        return downSince;
    }

    public String lastError() {
        return lastError;
    }

    /** Probes at once instead of at the next interval, e.g. after a request failed for want of the database. */
    public void recheckNow() {
        LockSupport.unpark(probe);
    }

    private void run() {
        while (!closed) {
            boolean up = check();
            if (closed || JvmShutdown.inProgress()) {
                return; // the database stops with the server; that is no outage
            }
            if (up && !available) {
                log.info("the database answers again, after {} s; requests are served again",
                        Duration.between(downSince, Instant.now()).toMillis() / 1000.0);
                HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                if (bean != null) {
                    bean.softEvictConnections(); // they lead to the server that went away
                }
                downSince = null;
                available = true;
            } else if (!up && available) {
                downSince = Instant.now();
                available = false;
                log.warn("the database is unreachable ({}); requests get 503 {} until it answers again", lastError,
                        DatabaseOutage.REASON);
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    /**
     * One check: the probe's connection answers, or a fresh one can be opened. A database that stopped or died
     * fails both at once (closed socket, refused connection); the generous timeouts only keep a slow but working
     * database, or a busy machine, from being reported down.
     */
    private boolean check() {
        try {
            if (connection != null && connection.isValid(TIMEOUT_SECONDS)) {
                return true;
            }
        } catch (SQLException e) {
            // replaced below
        }
        closeConnection();
        try {
            connection = connect();
            return true;
        } catch (SQLException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            lastError = root == e ? e.getMessage() : e.getMessage() + " " + root;
            return false;
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            props.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            props.setProperty("password", pool.getPassword());
        }
        props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(2 * TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "hansa availability probe");
        return DriverManager.getConnection(pool.getJdbcUrl(), props);
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is broken already
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(probe);
        try {
            probe.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
