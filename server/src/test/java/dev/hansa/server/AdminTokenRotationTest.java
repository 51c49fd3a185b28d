package dev.hansa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The admin token across restarts on one data directory: the generated bootstrap token, then a configured one, then a
 * rotated one. Each server runs in this JVM (a new application context and embedded PostgreSQL on the same data),
 * which is what a restart with other settings amounts to, at a fraction of a process start's cost.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminTokenRotationTest {

    private static final Pattern BOOTSTRAP =
            Pattern.compile("generated the bootstrap admin token \\(shown once, stored hashed\\): (ha_\\S+)");
    private static final Pattern ADMIN_PASSWORD = Pattern.compile(
            "generated the password of the bootstrap admin user 'admin' \\(shown once, stored hashed\\): (\\S+)");
    private static final String FIRST = "ha_first_configured_token_0001";
    private static final String SECOND = "ha_second_configured_token_002";

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(String adminToken, String... more) {
        List<String> args = new ArrayList<>(List.of("--hansa.database-dir=" + dir.resolve("pg"), "--server.port=0",
                "--hansa.tick=1h", "--logging.level.root=WARN", "--spring.main.banner-mode=off",
                "--logging.level.org.springframework.boot.SpringApplication=OFF")); // the refused start throws; no log
        if (adminToken != null) {
            args.add("--hansa.admin-token=" + adminToken);
        }
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(HansaServerApplication.class).run(args.toArray(String[]::new));
    }

    private static Api api(ConfigurableApplicationContext server) {
        return new Api(server.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    private static int status(Api api, String token) {
        return api.get("/api/v1/admin/federations", token).status();
    }

    @Test
    void rotationRevokesTheOldConfiguredTokenAndAConfiguredTokenRevokesTheBootstrapOne(CapturedOutput output) {
        String bootstrap;
        String personal;
        try (ConfigurableApplicationContext server = start(null)) {
            Matcher printed = BOOTSTRAP.matcher(output.getAll());
            assertTrue(printed.find(), "a first start without hansa.admin-token prints a generated token");
            bootstrap = printed.group(1);
            Matcher password = ADMIN_PASSWORD.matcher(output.getAll());
            assertTrue(password.find(), "a first start without hansa.admin.password prints a generated password");
            assertTrue(server.getBean(PasswordEncoder.class).matches(password.group(1), server.getBean(JdbcClient.class)
                    .sql("SELECT password_hash FROM users WHERE username = 'admin'").query(String.class).single()));
            Api api = api(server);
            assertEquals(200, status(api, bootstrap));
            personal = api.post("/api/v1/admin/admin-tokens", bootstrap, Map.of("name", "ops")).json().get("token").asString();
        }

        try (ConfigurableApplicationContext server = start(FIRST)) {
            Api api = api(server);
            assertEquals(401, status(api, bootstrap), "a configured token revokes the bootstrap token");
            assertEquals(200, status(api, FIRST));
            assertEquals(200, status(api, personal), "issued tokens outlive configuration changes");
        }

        try (ConfigurableApplicationContext server = start(SECOND)) {
            Api api = api(server);
            assertEquals(401, status(api, FIRST), "rotation revokes the token configured before");
            assertEquals(200, status(api, SECOND));
            assertEquals(200, status(api, personal));
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertEquals(List.of("bootstrap", "configured"), jdbc.sql("""
                    SELECT details->>'kind' FROM audit_log
                    WHERE actor = 'system:startup' AND action = 'admin-token.revoke' ORDER BY id""").query(String.class).list());
        }

        String refused = rootMessage(assertThrows(Exception.class, () -> start(FIRST).close()));
        assertTrue(refused.contains("revoked"), refused);

        try (ConfigurableApplicationContext server = start(null)) {
            assertEquals(200, status(api(server), SECOND), "removing the setting keeps the last configured token");
            assertEquals(1, BOOTSTRAP.matcher(output.getAll()).results().count(), "no new bootstrap token is generated");
            assertEquals(1, ADMIN_PASSWORD.matcher(output.getAll()).results().count(),
                    "the bootstrap admin's password is generated once");
        }
    }

    @Test
    void aBootstrapPasswordThatBreaksThePasswordRulesStopsTheFirstStart() {
        String refused = rootMessage(assertThrows(Exception.class,
                () -> start(null, "--hansa.admin.password=too short").close()));
        assertTrue(refused.startsWith("hansa.admin.password: must hold at least 12 characters"), refused);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
