package dev.hansa.server.people;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Personal access tokens by id or by their secret's SHA-256 digest. Nothing is cached: a revocation, an expiry, a
 * disabled user or a role change takes effect with the next request.
 */
@Repository
class AccessTokenRepository {

    private static final String TOKEN_COLUMNS = """
            SELECT t.id, t.user_id, u.username, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
            FROM access_tokens t JOIN users u ON u.id = t.user_id
            """;
    private static final String SQL_INSERT = """
            INSERT INTO access_tokens (id, user_id, token_hash, name, created_at, expires_at)
            VALUES (:id, :user, :hash, :name, :now, :expires)
            """;
    /** Looks a usable token up and stamps its last use in one statement. */
    private static final String SQL_USE = """
            UPDATE access_tokens t SET last_used_at = :now FROM users u
            WHERE t.token_hash = :hash AND u.id = t.user_id
              AND t.revoked_at IS NULL AND t.expires_at > :now AND u.enabled
            RETURNING u.id, u.username, u.role, t.id
            """;
    private static final String SQL_STANDING = """
            SELECT t.revoked_at, t.expires_at, u.enabled, u.username
            FROM access_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = :hash
            """;
    private static final String SQL_REVOKE = """
            UPDATE access_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL
            """;

    /** Why a known token may or may not be used: its revocation, its expiry and its owner's state. */
    record Standing(OffsetDateTime revokedAt, OffsetDateTime expiresAt, boolean enabled, String username) {
    }

    private final JdbcClient jdbc;

    AccessTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID user, String hash, String name, OffsetDateTime now, OffsetDateTime expires) {
        jdbc.sql(SQL_INSERT).param("id", id).param("user", user).param("hash", hash).param("name", name)
                .param("now", now).param("expires", expires).update();
    }

    Optional<AccessToken> find(UUID id) {
        return jdbc.sql(TOKEN_COLUMNS + " WHERE t.id = :id").param("id", id).query(AccessToken.class).optional();
    }

    List<AccessToken> ofUser(UUID user) {
        return jdbc.sql(TOKEN_COLUMNS + " WHERE t.user_id = :user ORDER BY t.created_at, t.id").param("user", user)
                .query(AccessToken.class).list();
    }

    Optional<TokenUser> use(String hash, OffsetDateTime now) {
        return jdbc.sql(SQL_USE).param("hash", hash).param("now", now)
                .query((rs, n) -> new TokenUser(rs.getObject(1, UUID.class), rs.getString(2),
                        Role.valueOf(rs.getString(3)), TokenUser.Kind.PERSONAL_ACCESS_TOKEN,
                        rs.getObject(4, UUID.class)))
                .optional();
    }

    Optional<Standing> standing(String hash) {
        return jdbc.sql(SQL_STANDING).param("hash", hash).query(Standing.class).optional();
    }

    boolean revoke(UUID id, OffsetDateTime now) {
        return jdbc.sql(SQL_REVOKE).param("id", id).param("now", now).update() == 1;
    }
}
