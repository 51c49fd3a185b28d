package dev.hansa.server.people;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The users table. Password hashes are written here and read only by {@link #credentials(String)}. */
@Repository
class UserRepository {

    private static final String USER_COLUMNS = "SELECT id, username, role, enabled, created_at, updated_at FROM users";
    private static final String SQL_CREDENTIALS = """
            SELECT username, password_hash, role, enabled FROM users WHERE username = :username
            """;
    /** Inserts unless the name is taken; returns the new row's id, or nothing when it was taken. */
    private static final String SQL_INSERT = """
            INSERT INTO users (id, username, password_hash, role, enabled, created_at, updated_at)
            VALUES (:id, :username, :hash, :role, true, :now, :now)
            ON CONFLICT (username) DO NOTHING
            RETURNING id
            """;

    private static final String SQL_ROLE = "UPDATE users SET role = :role, updated_at = :now WHERE id = :id";
    private static final String SQL_ENABLED = "UPDATE users SET enabled = :enabled, updated_at = :now WHERE id = :id";
    private static final String SQL_PASSWORD = """
            UPDATE users SET password_hash = :hash, updated_at = :now WHERE id = :id
            """;
    /** Locks the enabled admins, so that concurrent changes cannot together remove the last one. */
    private static final String SQL_LOCK_ADMINS = """
            SELECT id FROM users WHERE role = 'ADMIN' AND enabled ORDER BY id FOR UPDATE
            """;
    /** Locks one user's row for a change that reads it first. */
    private static final String SQL_LOCK = USER_COLUMNS + " WHERE id = :id FOR UPDATE";

    /** What a login checks: the stored hash, the role and whether the account may log in. */
    record Credentials(String username, String passwordHash, Role role, boolean enabled) {
    }

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UUID> insert(String username, String passwordHash, Role role, OffsetDateTime now) {
        return jdbc.sql(SQL_INSERT).param("id", UUID.randomUUID()).param("username", username)
                .param("hash", passwordHash).param("role", role.name()).param("now", now).query(UUID.class).optional();
    }

    Optional<User> find(UUID id) {
        return jdbc.sql(USER_COLUMNS + " WHERE id = :id").param("id", id).query(User.class).optional();
    }

    Optional<User> find(String username) {
        return jdbc.sql(USER_COLUMNS + " WHERE username = :username").param("username", username)
                .query(User.class).optional();
    }

    List<User> all() {
        return jdbc.sql(USER_COLUMNS + " ORDER BY username").query(User.class).list();
    }

    Optional<User> lock(UUID id) {
        return jdbc.sql(SQL_LOCK).param("id", id).query(User.class).optional();
    }

    /** Locks and counts the enabled admins (inside a transaction). */
    int lockEnabledAdmins() {
        return jdbc.sql(SQL_LOCK_ADMINS).query(UUID.class).list().size();
    }

    void updateRole(UUID id, Role role, OffsetDateTime now) {
        jdbc.sql(SQL_ROLE).param("id", id).param("role", role.name()).param("now", now).update();
    }

    void updateEnabled(UUID id, boolean enabled, OffsetDateTime now) {
        jdbc.sql(SQL_ENABLED).param("id", id).param("enabled", enabled).param("now", now).update();
    }

    void updatePassword(UUID id, String hash, OffsetDateTime now) {
        jdbc.sql(SQL_PASSWORD).param("id", id).param("hash", hash).param("now", now).update();
    }

    Optional<Credentials> credentials(String username) {
        return jdbc.sql(SQL_CREDENTIALS).param("username", username).query(Credentials.class).optional();
    }
}
