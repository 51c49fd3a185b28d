package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.server.Api;
import java.util.Map;

/**
 * One console user per role, created through the users API as the bootstrap admin (once: later calls find them
 * taken, which is what they want).
 */
public final class ConsoleUsers {

    public static final String PASSWORD = "correct horse battery staple";
    public static final String ADMIN_USER = "alice";
    public static final String OPERATOR = "oscar";
    public static final String VIEWER = "vera";

    private ConsoleUsers() {
    }

    public static void ensure(Api api) {
        add(api, ADMIN_USER, "ADMIN");
        add(api, OPERATOR, "OPERATOR");
        add(api, VIEWER, "VIEWER");
    }

    private static void add(Api api, String name, String role) {
        Api.Reply created = api.post("/api/v1/admin/users", ADMIN,
                Map.of("username", name, "password", PASSWORD, "role", role));
        assertTrue(created.status() == 201 || "username-taken".equals(created.reason()),
                () -> created.status() + " " + new String(created.bytes()));
    }
}
