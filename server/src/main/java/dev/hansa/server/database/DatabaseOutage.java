package dev.hansa.server.database;

import dev.hansa.server.system.Problems;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** What a database outage looks like in an exception, and how the API answers it: 503 with {@code Retry-After}. */
public final class DatabaseOutage {

    public static final String REASON = "database-unavailable";
    /** Seconds a client should wait before retrying; about what a supervised restart of the embedded database takes. */
    public static final int RETRY_AFTER_SECONDS = 5;
    /**
     * SQLSTATEs of a server going away: class 08 (connection exception), admin_shutdown, crash_shutdown and
     * cannot_connect_now (starting up or in recovery).
     */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutage() {
    }

    /**
     * True when {@code failure} was caused by the database being unreachable (refused or lost connections, no
     * connection from the pool in time, a server shutting down or recovering), as opposed to a statement it refused.
     */
    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SHUTDOWN_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The problem detail every request gets while the database is unreachable. */
    public static ProblemDetail problem() {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, REASON,
                "the database is unreachable; retry in " + RETRY_AFTER_SECONDS + " seconds");
    }
}
