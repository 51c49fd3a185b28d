package dev.hansa.server.security;

import dev.hansa.server.system.Secrets;
import dev.hansa.server.system.Timestamps;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Looks bearer secrets up by their SHA-256 digest. */
@Repository
class CredentialRepository {

    private static final String SQL_ADMIN = """
            SELECT name FROM admin_tokens WHERE token_hash = :hash AND revoked_at IS NULL
            """;
    private static final String SQL_CLIENT = """
            SELECT id, federation_id FROM clients WHERE credential_hash = :hash
            """;
    private static final String SQL_COUNT_ADMIN = "SELECT count(*) FROM admin_tokens WHERE revoked_at IS NULL";
    private static final String SQL_INSERT_ADMIN = """
            INSERT INTO admin_tokens (token_hash, name, created_at) VALUES (:hash, :name, :at)
            ON CONFLICT (token_hash) DO NOTHING
            """;

    private final JdbcClient jdbc;
    private final Timestamps time;

    CredentialRepository(JdbcClient jdbc, Timestamps time) {
        this.jdbc = jdbc;
        this.time = time;
    }

    Optional<String> adminName(String secret) {
        return jdbc.sql(SQL_ADMIN).param("hash", Secrets.hash(secret)).query(String.class).optional();
    }

    Optional<ClientPrincipal> client(String secret) {
        return jdbc.sql(SQL_CLIENT).param("hash", Secrets.hash(secret))
                .query((rs, n) -> new ClientPrincipal(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .optional();
    }

    long activeAdminTokens() {
        return jdbc.sql(SQL_COUNT_ADMIN).query(Long.class).single();
    }

    void addAdminToken(String secret, String name) {
        jdbc.sql(SQL_INSERT_ADMIN).param("hash", Secrets.hash(secret)).param("name", name)
                .param("at", time.now()).update();
    }
}
