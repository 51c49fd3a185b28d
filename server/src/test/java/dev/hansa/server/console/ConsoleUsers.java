package dev.hansa.server.console;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.server.Api;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One console user per role, created through the users API as the bootstrap admin (once: later calls find them
 * taken, which is what they want, and give them their role back if another test changed it).
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
        // Another test class of the same server may have changed the role (PeopleApiTest demotes every ADMIN but
        // the bootstrap one): give it back.
        for (JsonNode user : api.get("/api/v1/admin/users", ADMIN).json()) {
            if (user.get("username").asString().equals(name) && !user.get("role").asString().equals(role)) {
                api.post("/api/v1/admin/users/" + user.get("id").asString() + "/role", ADMIN, Map.of("role", role));
            }
        }
    }
}
