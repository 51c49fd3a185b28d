package dev.hansa.server.security;

import dev.hansa.server.system.Secrets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Bearer secrets by their SHA-256 digest: admin tokens and client credentials. Every request looks its secret up
 * here, so a revocation takes effect with the next request; nothing is cached.
 */
@Repository
class CredentialRepository {

    private static final String SQL_ADMIN = """
            SELECT id FROM admin_tokens WHERE token_hash = :hash AND revoked_at IS NULL
            """;
    private static final String SQL_CLIENT = """
            SELECT id, federation_id FROM clients WHERE credential_hash = :hash AND revoked_at IS NULL
            """;
    private static final String ADMIN_COLUMNS = "SELECT id, name, kind, created_at, revoked_at FROM admin_tokens";
    private static final String SQL_INSERT_ADMIN = """
            INSERT INTO admin_tokens (id, token_hash, name, kind, created_at) VALUES (:id, :hash, :name, :kind, :at)
            """;
    /** Locks the active tokens, so that concurrent revocations cannot together revoke the last one. */
    private static final String SQL_LOCK_ACTIVE = "SELECT id FROM admin_tokens WHERE revoked_at IS NULL FOR UPDATE";
    private static final String SQL_REVOKE = """
            UPDATE admin_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL
            """;
    private static final String SQL_REVOKE_KIND_EXCEPT = """
            UPDATE admin_tokens SET revoked_at = :at
            WHERE kind = :kind AND revoked_at IS NULL AND token_hash <> :keep
            RETURNING id
            """;
    /** Serialises start-up rotation between replicas that start at the same time; revocations wait for it briefly. */
    private static final String SQL_LOCK_TABLE = "LOCK TABLE admin_tokens IN SHARE ROW EXCLUSIVE MODE";

    private final JdbcClient jdbc;

    CredentialRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The id of the active admin token whose secret is {@code secret}. */
    Optional<UUID> adminTokenId(String secret) {
        return jdbc.sql(SQL_ADMIN).param("hash", Secrets.hash(secret)).query(UUID.class).optional();
    }

    Optional<ClientPrincipal> client(String secret) {
        return jdbc.sql(SQL_CLIENT).param("hash", Secrets.hash(secret))
                .query((rs, n) -> new ClientPrincipal(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .optional();
    }

    /** The token whose secret is {@code secret}, revoked or not. */
    Optional<AdminToken> adminToken(String secret) {
        return jdbc.sql(ADMIN_COLUMNS + " WHERE token_hash = :hash").param("hash", Secrets.hash(secret))
                .query(AdminToken.class).optional();
    }

    Optional<AdminToken> adminToken(UUID id) {
        return jdbc.sql(ADMIN_COLUMNS + " WHERE id = :id").param("id", id).query(AdminToken.class).optional();
    }

    List<AdminToken> adminTokens() {
        return jdbc.sql(ADMIN_COLUMNS + " ORDER BY created_at, id").query(AdminToken.class).list();
    }

    /** Locks and counts the active admin tokens (inside a transaction). */
    int lockActiveAdminTokens() {
        return jdbc.sql(SQL_LOCK_ACTIVE).query(UUID.class).list().size();
    }

    void lockAdminTokens() {
        jdbc.sql(SQL_LOCK_TABLE).update();
    }

    UUID addAdminToken(String secret, String name, String kind, OffsetDateTime at) {
        UUID id = UUID.randomUUID();
        jdbc.sql(SQL_INSERT_ADMIN).param("id", id).param("hash", Secrets.hash(secret)).param("name", name)
                .param("kind", kind).param("at", at).update();
        return id;
    }

    boolean revokeAdminToken(UUID id, OffsetDateTime at) {
        return jdbc.sql(SQL_REVOKE).param("id", id).param("at", at).update() == 1;
    }

    /** Revokes the active tokens of {@code kind} other than {@code keepSecret}'s; returns their ids. */
    List<UUID> revokeAdminTokens(String kind, String keepSecret, OffsetDateTime at) {
        return jdbc.sql(SQL_REVOKE_KIND_EXCEPT).param("kind", kind).param("keep", Secrets.hash(keepSecret))
                .param("at", at).query(UUID.class).list();
    }
}
