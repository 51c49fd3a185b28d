package dev.hansa.server.system;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** Appends to the audit log: administrative changes and refused uploads. */
@Repository
public class AuditLog {

    private static final String SQL_INSERT = """
            INSERT INTO audit_log (at, actor, action, target, details)
            VALUES (:at, :actor, :action, :target, CAST(:details AS jsonb))
            """;

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, Map<String, ?> details) {
        jdbc.sql(SQL_INSERT)
                .param("at", OffsetDateTime.now(clock.withZone(ZoneOffset.UTC)))
                .param("actor", actor)
                .param("action", action)
                .param("target", target)
                .param("details", json.writeValueAsString(details))
                .update();
    }
}
