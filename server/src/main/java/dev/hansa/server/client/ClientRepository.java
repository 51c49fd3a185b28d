package dev.hansa.server.client;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Enrolled clients and the one-time enrollment tokens that admit them. */
@Repository
class ClientRepository {

    private static final String SQL_LOCK_TOKEN = """
            SELECT federation_id FROM enrollment_tokens
            WHERE token_hash = :hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now FOR UPDATE
            """;
    private static final String SQL_USE_TOKEN = """
            UPDATE enrollment_tokens SET used_at = :now, used_by = :client WHERE token_hash = :hash
            """;
    private static final String SQL_INSERT = """
            INSERT INTO clients (id, federation_id, name, credential_hash, num_samples, device, enrolled_at, last_heartbeat_at)
            VALUES (:id, :federation, :name, :hash, :samples, CAST(:device AS jsonb), :now, :now)
            """;
    private static final String SQL_HEARTBEAT = """
            UPDATE clients SET last_heartbeat_at = :now,
                   num_samples = coalesce(:samples, num_samples),
                   device = coalesce(CAST(:device AS jsonb), device)
            WHERE id = :id
            """;

    private static final String CLIENT_COLUMNS = """
            SELECT id, federation_id, name, num_samples, device, enrolled_at, last_heartbeat_at, revoked_at FROM clients
            """;
    private static final String SQL_REVOKE = """
            UPDATE clients SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL
            """;

    private final JdbcClient jdbc;

    ClientRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UUID> lockUnusedToken(String hash, OffsetDateTime now) {
        return jdbc.sql(SQL_LOCK_TOKEN).param("hash", hash).param("now", now).query(UUID.class).optional();
    }

    void useToken(String hash, UUID client, OffsetDateTime now) {
        jdbc.sql(SQL_USE_TOKEN).param("hash", hash).param("client", client).param("now", now).update();
    }

    void insert(UUID id, UUID federation, String name, String credentialHash, Long samples, String deviceJson,
                OffsetDateTime now) {
        jdbc.sql(SQL_INSERT).param("id", id).param("federation", federation).param("name", name)
                .param("hash", credentialHash).param("samples", samples).param("device", deviceJson)
                .param("now", now).update();
    }

    void heartbeat(UUID id, Long samples, String deviceJson, OffsetDateTime now) {
        jdbc.sql(SQL_HEARTBEAT).param("id", id).param("samples", samples).param("device", deviceJson)
                .param("now", now).update();
    }

    Optional<Map<String, Object>> find(UUID id) {
        return jdbc.sql(CLIENT_COLUMNS + " WHERE id = :id").param("id", id).query().listOfRows().stream().findFirst();
    }

    List<Map<String, Object>> list(UUID federation) {
        return jdbc.sql(CLIENT_COLUMNS + " WHERE federation_id = :federation ORDER BY enrolled_at, id")
                .param("federation", federation).query().listOfRows();
    }

    /** Re-admits a revoked client (its credential works again); false when it was not revoked. */
    boolean readmit(UUID id) {
        return jdbc.sql("UPDATE clients SET revoked_at = NULL WHERE id = :id AND revoked_at IS NOT NULL")
                .param("id", id).update() == 1;
    }

    /** Revokes the client's credential; false when it was revoked already. The row and its history stay. */
    boolean revoke(UUID id, OffsetDateTime now) {
        return jdbc.sql(SQL_REVOKE).param("id", id).param("now", now).update() == 1;
    }
}
