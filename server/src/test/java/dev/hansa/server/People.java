package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.server.system.Secrets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Users and their personal access tokens for tests: users are created through the admin API (as the bootstrap admin,
 * through the admin token); a user's first token is written straight to the database, as the console would create it
 * after a password login, so that each test starts from a user holding a working token.
 */
final class People {

    /** A user with one personal access token. */
    record Person(String id, String username, String role, String token) {
    }

    private static final AtomicInteger NAMES = new AtomicInteger();
    private final Api api;
    private final JdbcClient jdbc;

    People(Api api, JdbcClient jdbc) {
        this.api = api;
        this.jdbc = jdbc;
    }

    Person create(String role) {
        String username = role.toLowerCase() + "-" + NAMES.incrementAndGet() + "-" + UUID.randomUUID().toString()
                .substring(0, 6);
        Api.Reply created = api.post("/api/v1/admin/users", ADMIN,
                Map.of("username", username, "password", "password of " + username, "role", role));
        assertEquals(201, created.status(), () -> new String(created.bytes()));
        String id = created.json().get("id").asString();
        return new Person(id, username, role, token(id));
    }

    /** A new personal access token of user {@code userId}, valid for a year from now (wall clock). */
    String token(String userId) {
        String secret = Secrets.generate("hp_");
        OffsetDateTime now = OffsetDateTime.now();
        jdbc.sql("""
                INSERT INTO access_tokens (id, user_id, token_hash, name, created_at, expires_at)
                VALUES (:id, CAST(:user AS uuid), :hash, 'test', :now, :expires)""")
                .param("id", UUID.randomUUID()).param("user", userId).param("hash", Secrets.hash(secret))
                .param("now", now.minusDays(1)).param("expires", now.plusYears(1)).update();
        return secret;
    }
}
