package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import tools.jackson.databind.JsonNode;

/** Users (ADMIN), the calling user and their personal access tokens, through the REST API. */
class PeopleApiTest extends EmbeddedServerTest {

    private People people;

    @BeforeEach
    void people() {
        people = new People(api, jdbc);
    }

    private static void assertProblem(int status, String reason, Api.Reply reply) {
        assertEquals(status, reply.status(), () -> new String(reply.bytes()));
        assertEquals(reason, reply.reason(), () -> new String(reply.bytes()));
    }

    private static void assertInvalidField(String field, Api.Reply reply) {
        assertProblem(400, "invalid-field", reply);
        assertEquals(field, reply.json().get("field").asString());
    }

    private int users() {
        return jdbc.sql("SELECT count(*) FROM users").query(Integer.class).single();
    }

    private int audited(String action, String target) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = :a AND target = :t")
                .param("a", action).param("t", target).query(Integer.class).single();
    }

    private String lastActor(String action, String target) {
        return jdbc.sql("SELECT actor FROM audit_log WHERE action = :a AND target = :t ORDER BY id DESC LIMIT 1")
                .param("a", action).param("t", target).query(String.class).single();
    }

    private static void assertNoSecrets(JsonNode json) {
        String text = json.toString();
        assertFalse(text.contains("password"), text);
        assertFalse(text.contains("{bcrypt}"), text);
        assertFalse(text.contains("Hash"), text);
    }

    @Nested
    class UserManagement {

        @Test
        void anAdminCreatesListsAndReadsUsersWhoseHashesNeverLeaveTheServer() {
            Api.Reply created = api.post("/api/v1/admin/users", ADMIN,
                    Map.of("username", "carol.ops@example.org", "password", "a long password 1", "role", "OPERATOR"));
            assertEquals(201, created.status(), () -> new String(created.bytes()));
            assertEquals("carol.ops@example.org", created.json().get("username").asString());
            assertEquals("OPERATOR", created.json().get("role").asString());
            assertTrue(created.json().get("enabled").asBoolean());
            String id = created.json().get("id").asString();
            assertNoSecrets(created.json());

            JsonNode listed = api.get("/api/v1/admin/users", ADMIN).json();
            assertNoSecrets(listed);
            assertTrue(listed.valueStream().anyMatch(u -> u.get("id").asString().equals(id)));
            assertEquals("OPERATOR", api.get("/api/v1/admin/users/" + id, ADMIN).json().get("role").asString());
            assertEquals("admin", lastActor("user.create", id), "the admin token acts as the bootstrap admin");
        }

        @Test
        void aCreationWithABadFieldNamesItAndWritesNothing() {
            Map<String, Object> good = Map.of("username", "dave", "password", "a long password 2", "role", "VIEWER");
            int before = users();
            Map<String, Object[]> bad = Map.of(
                    "username", new Object[] {"Dave", "with space", "a:b", "", "x".repeat(65)},
                    "password", new Object[] {"short", "", "\u00e9".repeat(37)},
                    "role", new Object[] {"ROOT", "admin", ""});
            bad.forEach((field, values) -> {
                for (Object value : values) {
                    Map<String, Object> body = new HashMap<>(good);
                    body.put(field, value);
                    assertInvalidField(field, api.post("/api/v1/admin/users", ADMIN, body));
                }
                Map<String, Object> missing = new HashMap<>(good);
                missing.remove(field);
                assertInvalidField(field, api.post("/api/v1/admin/users", ADMIN, missing));
            });
            assertEquals(before, users(), "nothing is written");
        }

        @Test
        void aTakenUsernameIsAConflict() {
            People.Person erin = people.create("VIEWER");
            assertProblem(409, "username-taken", api.post("/api/v1/admin/users", ADMIN,
                    Map.of("username", erin.username(), "password", "another password", "role", "ADMIN")));
            assertEquals("VIEWER", api.get("/api/v1/admin/users/" + erin.id(), ADMIN).json().get("role").asString());
        }

        @Test
        void aRequestCannotSetWhatItDoesNotName() {
            String id = UUID.randomUUID().toString();
            Api.Reply refused = api.post("/api/v1/admin/users", ADMIN, Map.of("username", "frank", "password",
                    "a long password 3", "role", "VIEWER", "passwordHash", "{noop}x"));
            assertProblem(400, "unknown-field", refused);
            assertEquals("passwordHash", refused.json().get("field").asString());
            assertEquals(0, jdbc.sql("SELECT count(*) FROM users WHERE username = 'frank'").query(Integer.class)
                    .single(), "nothing created");
            for (String member : List.of("enabled", "id")) {
                Object value = member.equals("id") ? id : false;
                assertEquals(member, api.post("/api/v1/admin/users", ADMIN, Map.of("username", "frank", "password",
                        "a long password 3", "role", "VIEWER", member, value)).json().get("field").asString());
            }

            Api.Reply created = api.post("/api/v1/admin/users", ADMIN, Map.of("username", "frank", "password",
                    "a long password 3", "role", "VIEWER"));
            assertEquals(201, created.status(), () -> new String(created.bytes()));
            assertTrue(created.json().get("enabled").asBoolean());
            assertTrue(jdbc.sql("SELECT password_hash FROM users WHERE username = 'frank'").query(String.class).single()
                    .startsWith("{bcrypt}"));
        }

        @Test
        void aRoleChangeAppliesToTheUsersTokensAtOnce() {
            People.Person gina = people.create("OPERATOR");
            Map<String, Object> config = FederationFixture.config(1, 1, 60, 1.0, "fedavg");
            assertEquals(201, api.post("/api/v1/admin/federations", gina.token(), config).status());

            Api.Reply demoted = api.post("/api/v1/admin/users/" + gina.id() + "/role", ADMIN, Map.of("role", "VIEWER"));
            assertEquals("VIEWER", demoted.json().get("role").asString());
            assertProblem(403, "forbidden", api.post("/api/v1/admin/federations", gina.token(), config));
            assertEquals(200, api.get("/api/v1/admin/federations", gina.token()).status());
            assertEquals("admin", lastActor("user.role", gina.id()));

            String role = "/api/v1/admin/users/" + gina.id() + "/role";
            assertInvalidField("role", api.post(role, ADMIN, Map.of("role", "GOD")));
            assertInvalidField("role", api.post(role, ADMIN, Map.of()));
        }

        @Test
        void aDisabledUsersTokensAre401UntilTheUserIsEnabledAgain() {
            People.Person hal = people.create("VIEWER");
            assertFalse(api.post("/api/v1/admin/users/" + hal.id() + "/disable", ADMIN, null).json().get("enabled")
                    .asBoolean());
            Api.Reply refused = api.get("/api/v1/admin/federations", hal.token());
            assertProblem(401, "invalid-credential", refused);
            assertEquals("user " + hal.username() + " is disabled", refused.json().get("detail").asString());
            assertEquals(1, audited("user.disable", hal.id()));

            api.post("/api/v1/admin/users/" + hal.id() + "/enable", ADMIN, null);
            assertEquals(200, api.get("/api/v1/admin/federations", hal.token()).status());
        }

        private void demoteEveryAdminButTheBootstrapOne() {
            for (JsonNode user : api.get("/api/v1/admin/users", ADMIN).json()) {
                if (!"admin".equals(user.get("username").asString()) && "ADMIN".equals(user.get("role").asString())) {
                    api.post("/api/v1/admin/users/" + user.get("id").asString() + "/role", ADMIN,
                            Map.of("role", "VIEWER"));
                }
            }
        }

        @Test
        void theLastEnabledAdminCanBeNeitherDisabledNorDemoted() {
            demoteEveryAdminButTheBootstrapOne();
            String admin = jdbc.sql("SELECT id FROM users WHERE username = 'admin'").query(String.class).single();
            assertProblem(409, "last-admin", api.post("/api/v1/admin/users/" + admin + "/disable", ADMIN, null));
            assertProblem(409, "last-admin", api.post("/api/v1/admin/users/" + admin + "/role", ADMIN,
                    Map.of("role", "OPERATOR")));

            People.Person second = people.create("ADMIN");
            assertEquals("OPERATOR", api.post("/api/v1/admin/users/" + admin + "/role", second.token(),
                    Map.of("role", "OPERATOR")).json().get("role").asString(), "with another ADMIN the change is fine");
            assertProblem(403, "forbidden", api.get("/api/v1/admin/users", ADMIN),
                    "the admin token follows user admin");
            assertEquals("ADMIN", api.post("/api/v1/admin/users/" + admin + "/role", second.token(),
                    Map.of("role", "ADMIN")).json().get("role").asString());
            assertEquals(200, api.get("/api/v1/admin/users", ADMIN).status());
        }

        @Test
        void concurrentDemotionsOfTheLastTwoAdminsLeaveOne() throws Exception {
            demoteEveryAdminButTheBootstrapOne();
            People.Person other = people.create("ADMIN");
            String admin = jdbc.sql("SELECT id FROM users WHERE username = 'admin'").query(String.class).single();
            try (ExecutorService two = Executors.newFixedThreadPool(2)) {
                CountDownLatch go = new CountDownLatch(1);
                Future<Api.Reply> first = two.submit(() -> {
                    go.await();
                    return api.post("/api/v1/admin/users/" + admin + "/role", other.token(), Map.of("role", "VIEWER"));
                });
                Future<Api.Reply> second = two.submit(() -> {
                    go.await();
                    return api.post("/api/v1/admin/users/" + other.id() + "/role", ADMIN, Map.of("role", "VIEWER"));
                });
                go.countDown();
                List<Integer> statuses = Stream.of(first.get().status(), second.get().status()).sorted().toList();
                // The loser gets 409 last-admin, or 403 when the winner demoted the loser's own user before the
                // loser's request was authorised (an admin token acts with user admin's current role).
                assertEquals(200, statuses.get(0), statuses::toString);
                assertTrue(statuses.get(1) == 409 || statuses.get(1) == 403, statuses::toString);
                assertEquals(1, jdbc.sql("SELECT count(*) FROM users WHERE role = 'ADMIN' AND enabled")
                        .query(Integer.class).single());
            } finally {
                jdbc.sql("UPDATE users SET role = 'ADMIN' WHERE username = 'admin'").update();
            }
        }

        @Test
        void aPasswordResetChangesTheLogin(@Autowired UserDetailsService userDetailsService,
                                           @Autowired PasswordEncoder passwordEncoder) {
            People.Person ivy = people.create("VIEWER");
            DaoAuthenticationProvider login = new DaoAuthenticationProvider(userDetailsService);
            login.setPasswordEncoder(passwordEncoder);
            assertInvalidField("password", api.post("/api/v1/admin/users/" + ivy.id() + "/password", ADMIN,
                    Map.of("password", "too short")));
            Api.Reply reset = api.post("/api/v1/admin/users/" + ivy.id() + "/password", ADMIN,
                    Map.of("password", "the new password"));
            assertEquals(200, reset.status());
            assertNoSecrets(reset.json());
            assertTrue(login.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(ivy.username(),
                    "the new password")).isAuthenticated());
            String old = "password of " + ivy.username();
            assertThrows(AuthenticationException.class, () -> login.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(ivy.username(), old)));
            assertEquals("admin", lastActor("user.password-reset", ivy.id()));
        }

        @Test
        void anUnknownUserIs404() {
            assertProblem(404, "unknown-user", api.get("/api/v1/admin/users/" + UUID.randomUUID(), ADMIN));
            assertProblem(404, "unknown-user", api.post("/api/v1/admin/users/" + UUID.randomUUID() + "/disable",
                    ADMIN, null));
            assertProblem(400, "invalid-parameter", api.get("/api/v1/admin/users/not-a-uuid", ADMIN));
        }
    }

    @Nested
    class AccessTokens {

        @Test
        void meNamesTheUserAndTheCredential() {
            JsonNode me = api.get("/api/v1/me", ADMIN).json();
            assertEquals("admin", me.get("username").asString());
            assertEquals("ADMIN", me.get("role").asString());
            assertEquals("ADMIN_TOKEN", me.get("credential").get("kind").asString());
            People.Person jo = people.create("VIEWER");
            JsonNode viaToken = api.get("/api/v1/me", jo.token()).json();
            assertEquals(jo.username(), viaToken.get("username").asString());
            assertEquals("PERSONAL_ACCESS_TOKEN", viaToken.get("credential").get("kind").asString());
            assertNoSecrets(viaToken);
        }

        @Test
        void aTokenIsShownOnceAndRecordsItsLastUse() {
            People.Person kim = people.create("VIEWER");
            Api.Reply created = api.post("/api/v1/me/tokens", kim.token(),
                    Map.of("name", "laptop", "expiresInDays", 7));
            assertEquals(201, created.status(), () -> new String(created.bytes()));
            String secret = created.json().get("token").asString();
            String id = created.json().get("id").asString();
            assertTrue(secret.startsWith("hp_") && secret.length() == 46, secret);
            Instant now = clock.instant();
            assertSameMicrosecond(now.plus(Duration.ofDays(7)), created.json().get("expiresAt"));
            assertEquals(1, jdbc.sql("SELECT count(*) FROM access_tokens WHERE token_hash = :h")
                    .param("h", dev.hansa.server.system.Secrets.hash(secret)).query(Integer.class).single(),
                    "stored as its SHA-256 digest");
            assertEquals(kim.username(), lastActor("access-token.create", id));

            JsonNode listed = token(api.get("/api/v1/me/tokens", kim.token()).json(), id);
            assertFalse(listed.has("token"), "the secret is not listed");
            assertTrue(listed.get("lastUsedAt").isNull());

            clock.advance(Duration.ofMinutes(5));
            assertEquals(kim.username(), api.get("/api/v1/me", secret).json().get("username").asString());
            JsonNode used = token(api.get("/api/v1/me/tokens", secret).json(), id);
            assertSameMicrosecond(now.plus(Duration.ofMinutes(5)), used.get("lastUsedAt"));
            assertEquals("ACTIVE", used.get("state").asString());
        }

        @Test
        void anExpiredTokenIs401AndListedAsExpired() {
            People.Person lee = people.create("OPERATOR");
            String secret = api.post("/api/v1/me/tokens", lee.token(),
                    Map.of("name", "short-lived", "expiresInDays", 1)).json().get("token").asString();
            assertEquals(200, api.get("/api/v1/admin/federations", secret).status());
            clock.advance(Duration.ofDays(1));
            Api.Reply refused = api.get("/api/v1/admin/federations", secret);
            assertProblem(401, "invalid-credential", refused);
            assertTrue(refused.json().get("detail").asString().startsWith("this personal access token expired at"),
                    refused.json()::toString);
            JsonNode listed = api.get("/api/v1/me/tokens", lee.token()).json();
            assertTrue(listed.valueStream().anyMatch(t -> "EXPIRED".equals(t.get("state").asString())),
                    listed::toString);
        }

        @Test
        void aUserRevokesTheirOwnTokensOnly() {
            People.Person mo = people.create("VIEWER");
            People.Person ned = people.create("VIEWER");
            Api.Reply created = api.post("/api/v1/me/tokens", mo.token(), Map.of("name", "ci"));
            String secret = created.json().get("token").asString();
            String id = created.json().get("id").asString();
            assertEquals(Instant.parse(created.json().get("createdAt").asString()).plus(Duration.ofDays(30)),
                    Instant.parse(created.json().get("expiresAt").asString()), "30 days by default");

            assertProblem(404, "unknown-access-token",
                    api.post("/api/v1/me/tokens/" + id + "/revoke", ned.token(), null));
            assertEquals(200, api.get("/api/v1/me", secret).status());

            Api.Reply revoked = api.post("/api/v1/me/tokens/" + id + "/revoke", mo.token(), null);
            assertEquals("REVOKED", revoked.json().get("state").asString());
            Api.Reply refused = api.get("/api/v1/me", secret);
            assertProblem(401, "invalid-credential", refused);
            assertTrue(refused.json().get("detail").asString().startsWith("this personal access token was revoked"));
            assertEquals(200, api.post("/api/v1/me/tokens/" + id + "/revoke", mo.token(), null).status(),
                    "revoking again changes nothing");
            assertEquals(1, audited("access-token.revoke", id));
        }

        @Test
        void anAdminListsAndRevokesAnyonesTokens() {
            People.Person olga = people.create("OPERATOR");
            String id = api.post("/api/v1/me/tokens", olga.token(), Map.of("name", "script")).json().get("id")
                    .asString();
            JsonNode listed = api.get("/api/v1/admin/users/" + olga.id() + "/tokens", ADMIN).json();
            assertEquals(2, listed.size());
            assertNotNull(token(listed, id));
            assertProblem(404, "unknown-access-token", api.post("/api/v1/admin/users/" + olga.id() + "/tokens/"
                    + UUID.randomUUID() + "/revoke", ADMIN, null));
            assertEquals("REVOKED", api.post("/api/v1/admin/users/" + olga.id() + "/tokens/" + id + "/revoke", ADMIN,
                    null).json().get("state").asString());
            assertEquals("admin", lastActor("access-token.revoke", id));
        }

        @Test
        void aTokenRequestWithABadFieldNamesIt() {
            People.Person pat = people.create("VIEWER");
            int before = jdbc.sql("SELECT count(*) FROM access_tokens").query(Integer.class).single();
            assertInvalidField("name", api.post("/api/v1/me/tokens", pat.token(), Map.of()));
            assertInvalidField("name", api.post("/api/v1/me/tokens", pat.token(), Map.of("name", " ")));
            assertInvalidField("name", api.post("/api/v1/me/tokens", pat.token(), Map.of("name", "x".repeat(101))));
            for (int days : List.of(0, -1, 367)) {
                assertInvalidField("expiresInDays", api.post("/api/v1/me/tokens", pat.token(),
                        Map.of("name", "n", "expiresInDays", days)));
            }
            Api.Reply wrongType = api.post("/api/v1/me/tokens", pat.token(), Map.of("name", "n", "expiresInDays", "x"));
            assertProblem(400, "malformed-json", wrongType);
            assertEquals("expiresInDays", wrongType.json().get("field").asString());
            assertEquals(before, jdbc.sql("SELECT count(*) FROM access_tokens").query(Integer.class).single());
        }

        /** The server stores times to the microsecond (PostgreSQL's precision), cut from the clock's nanoseconds. */
        private static void assertSameMicrosecond(Instant expected, JsonNode actual) {
            assertEquals(expected.truncatedTo(ChronoUnit.MICROS), Instant.parse(actual.asString()));
        }

        private static JsonNode token(JsonNode list, String id) {
            return list.valueStream().filter(t -> t.get("id").asString().equals(id)).findFirst().orElseThrow();
        }
    }

    @Nested
    class Audit {

        @Test
        void aChangeThroughAPersonalTokenNamesItsUser() {
            People.Person quinn = people.create("OPERATOR");
            Api.Reply created = api.post("/api/v1/admin/federations", quinn.token(),
                    FederationFixture.config(1, 1, 60, 1.0, "fedavg"));
            String federation = created.json().get("id").asString();
            assertEquals(quinn.username(), lastActor("federation.create", federation));
            api.post("/api/v1/admin/federations/" + federation + "/enrollment-tokens", ADMIN, Map.of("count", 1));
            assertEquals("admin", lastActor("federation.enrollment-tokens", federation));
        }

        @Test
        void aRefusedChangeIsNotAudited() {
            People.Person rita = people.create("VIEWER");
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String client = f.clients.getFirst().id();
            assertEquals(403, api.post("/api/v1/admin/clients/" + client + "/revoke", rita.token(), null).status());
            assertEquals(0, audited("client.revoke", client));
            People.Person sam = people.create("OPERATOR");
            assertEquals(200, api.post("/api/v1/admin/clients/" + client + "/revoke", sam.token(), null).status());
            assertEquals(sam.username(), lastActor("client.revoke", client));
        }
    }

    private static void assertProblem(int status, String reason, Api.Reply reply, String message) {
        assertEquals(status, reply.status(), message);
        assertEquals(reason, reply.reason(), message);
    }
}
