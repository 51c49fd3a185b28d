package dev.hansa.server.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures mean "the database is unreachable" (503) and which are a statement it refused (not 503). */
class DatabaseOutageTest {

    @Test
    void lostOrRefusedConnectionsAndShutdownsAreOutages() {
        assertTrue(DatabaseOutage.isCause(new SQLException("I/O error", "08006")));
        assertTrue(DatabaseOutage.isCause(new SQLException("Connection refused", "08001")));
        assertTrue(DatabaseOutage.isCause(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(DatabaseOutage.isCause(new SQLException("the database system is starting up", "57P03")));
        assertTrue(DatabaseOutage.isCause(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("pool timed out"))));
        assertTrue(DatabaseOutage.isCause(new CannotCreateTransactionException("begin failed",
                new SQLException("closed", "08003"))));
    }

    @Test
    void refusedStatementsAreNot() {
        assertFalse(DatabaseOutage.isCause(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505"))));
        assertFalse(DatabaseOutage.isCause(new SQLException("invalid byte sequence", "22021")));
        assertFalse(DatabaseOutage.isCause(new SQLException("no state")));
        assertFalse(DatabaseOutage.isCause(new IllegalStateException("not a database failure")));
    }
}
