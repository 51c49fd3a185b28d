package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Revoking client credentials, enrollment tokens and admin tokens through the admin API. */
class CredentialRevocationTest extends EmbeddedServerTest {

    private int audited(String action, String target) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = :a AND target = :t")
                .param("a", action).param("t", target).query(Integer.class).single();
    }

    private static void assert401(Api.Reply reply) {
        assertEquals(401, reply.status(), () -> new String(reply.bytes()));
        assertEquals("invalid-credential", reply.reason());
    }

    @Nested
    class Clients {

        @Test
        void aRevokedClientGets401EverywhereAtOnceAndKeepsItsHistory() {
            FederationFixture f = new FederationFixture(api, 2, 1, 60, 1.0, "fedavg");
            f.start();
            orchestrator.tick();
            FederationFixture.Client me = f.clients.getFirst();
            String round = f.roundIdOf(me);
            String model = f.assignment(me).json().get("modelHash").asString();
            assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", me.credential(), upload(randomDelta(1), 5), "k").status());

            Api.Reply revoked = api.post("/api/v1/admin/clients/" + me.id() + "/revoke", ADMIN, null);
            assertEquals(200, revoked.status(), () -> new String(revoked.bytes()));
            assertNotNull(revoked.json().get("revokedAt").asString());

            assert401(api.post("/api/v1/client/heartbeat", me.credential(), Map.of()));
            assert401(api.get("/api/v1/client/assignment?waitSeconds=0", me.credential()));
            assert401(api.get("/api/v1/client/tensors/" + model, me.credential()));
            assert401(api.get("/api/v1/client/rounds/" + round, me.credential()));
            assert401(api.put("/api/v1/client/rounds/" + round + "/update", me.credential(), upload(randomDelta(1), 5), "k"));
            assert401(api.post("/api/v1/client/rounds/" + round + "/metrics", me.credential(), Map.of("metrics", Map.of("a", 1.0))));

            assertEquals("ACCEPTED", jdbc.sql("SELECT state FROM round_participants WHERE client_id = CAST(:c AS uuid)")
                    .param("c", me.id()).query(String.class).single(), "the client's history stays");
            JsonNode listed = api.get("/api/v1/admin/federations/" + f.federationId + "/clients", ADMIN).json();
            assertEquals(2, listed.size());
            assertEquals(1, audited("client.revoke", me.id()));

            assertEquals(200, api.post("/api/v1/admin/clients/" + me.id() + "/revoke", ADMIN, null).status());
            assertEquals(1, audited("client.revoke", me.id()), "revoking again changes nothing");
            assertEquals(200, api.post("/api/v1/client/heartbeat", f.clients.get(1).credential(), Map.of()).status(),
                    "the other client is untouched");
        }

        @Test
        void aRevokedClientIsNoLongerSampled() {
            FederationFixture f = new FederationFixture(api, 3, 1, 60, 1.0, "fedavg");
            jdbc.sql("UPDATE federations SET config = jsonb_set(config, '{schedule,minClients}', '2') WHERE id = CAST(:f AS uuid)")
                    .param("f", f.federationId).update();
            FederationFixture.Client gone = f.clients.get(2);
            assertEquals(200, api.post("/api/v1/admin/clients/" + gone.id() + "/revoke", ADMIN, null).status());
            f.start();
            orchestrator.tick();
            JsonNode round = f.rounds().getFirst();
            assertEquals(2, round.get("participants").asInt());
            List<String> sampled = new ArrayList<>();
            api.get("/api/v1/admin/rounds/" + round.get("id").asString() + "/participants", ADMIN).json()
                    .forEach(p -> sampled.add(p.get("clientId").asString()));
            assertFalse(sampled.contains(gone.id()), sampled.toString());
        }

        @Test
        void unknownClient() {
            Api.Reply r = api.post("/api/v1/admin/clients/" + UUID.randomUUID() + "/revoke", ADMIN, null);
            assertEquals(404, r.status());
            assertEquals("unknown-client", r.reason());
        }
    }

    @Nested
    class EnrollmentTokens {

        @Test
        void issuedTokensHaveIdsAndAListedStateAndARevokedOneAdmitsNobody() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String base = "/api/v1/admin/federations/" + f.federationId + "/enrollment-tokens";
            JsonNode issued = api.post(base, ADMIN, Map.of("count", 3)).json();
            assertEquals(3, issued.get("ids").size());
            String used = issued.get("ids").get(0).asString();
            String revoked = issued.get("ids").get(1).asString();
            String active = issued.get("ids").get(2).asString();
            assertEquals(201, api.post("/api/v1/enroll", issued.get("tokens").get(0).asString(), Map.of()).status());

            Api.Reply revoke = api.post(base + "/" + revoked + "/revoke", ADMIN, null);
            assertEquals(200, revoke.status(), () -> new String(revoke.bytes()));
            assertEquals("REVOKED", revoke.json().get("state").asString());
            assert401(api.post("/api/v1/enroll", issued.get("tokens").get(1).asString(), Map.of()));
            assertEquals(1, audited("enrollment-token.revoke", revoked));

            Api.Reply usedRevoke = api.post(base + "/" + used + "/revoke", ADMIN, null);
            assertEquals(409, usedRevoke.status());
            assertEquals("token-used", usedRevoke.reason());
            assertEquals(0, audited("enrollment-token.revoke", used), "a refused revocation leaves no audit entry");

            Map<String, String> states = new java.util.HashMap<>();
            api.get(base, ADMIN).json().forEach(t -> states.put(t.get("id").asString(), t.get("state").asString()));
            assertEquals("USED", states.get(used));
            assertEquals("REVOKED", states.get(revoked));
            assertEquals("ACTIVE", states.get(active));
            assertTrue(api.get(base, ADMIN).bytes().length > 0);
            assertFalse(new String(api.get(base, ADMIN).bytes()).contains("he_"), "secrets are never listed");
        }

        @Test
        void expiredTokensAreListedAsExpired() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String base = "/api/v1/admin/federations/" + f.federationId + "/enrollment-tokens";
            String id = api.post(base, ADMIN, Map.of("ttlSeconds", 1)).json().get("ids").get(0).asString();
            clock.advance(Duration.ofSeconds(2));
            JsonNode listed = api.get(base, ADMIN).json();
            listed.forEach(t -> {
                if (t.get("id").asString().equals(id)) {
                    assertEquals("EXPIRED", t.get("state").asString());
                }
            });
        }

        @Test
        void anotherFederationsTokenIsUnknown() {
            FederationFixture a = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            FederationFixture b = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String id = api.post("/api/v1/admin/federations/" + a.federationId + "/enrollment-tokens", ADMIN, Map.of())
                    .json().get("ids").get(0).asString();
            Api.Reply r = api.post("/api/v1/admin/federations/" + b.federationId + "/enrollment-tokens/" + id + "/revoke", ADMIN, null);
            assertEquals(404, r.status());
            assertEquals("unknown-enrollment-token", r.reason());
        }
    }

    @Nested
    class AdminTokens {

        @Test
        void anIssuedTokenWorksUntilRevokedAndIs401AtOnceAfterwards() {
            Api.Reply issued = api.post("/api/v1/admin/admin-tokens", ADMIN, Map.of("name", "ops"));
            assertEquals(201, issued.status(), () -> new String(issued.bytes()));
            String token = issued.json().get("token").asString();
            String id = issued.json().get("id").asString();
            assertEquals(200, api.get("/api/v1/admin/federations", token).status());
            boolean listedAsCurrent = false;
            for (JsonNode t : api.get("/api/v1/admin/admin-tokens", token).json()) {
                assertFalse(t.has("token"), "secrets are never listed");
                listedAsCurrent |= t.get("id").asString().equals(id) && t.get("current").asBoolean();
            }
            assertTrue(listedAsCurrent);

            Api.Reply revoked = api.post("/api/v1/admin/admin-tokens/" + id + "/revoke", ADMIN, null);
            assertEquals("REVOKED", revoked.json().get("state").asString());
            assert401(api.get("/api/v1/admin/federations", token));
            assertEquals(1, audited("admin-token.issue", id));
            assertEquals(1, audited("admin-token.revoke", id));
            assertEquals("admin", jdbc.sql("SELECT actor FROM audit_log WHERE action = 'admin-token.revoke'"
                    + " AND target = :t").param("t", id).query(String.class).single(),
                    "an admin token acts as the bootstrap admin");
        }

        @Test
        void theLastActiveTokenCannotBeRevoked() {
            String current = null;
            for (JsonNode t : api.get("/api/v1/admin/admin-tokens", ADMIN).json()) {
                if (t.get("current").asBoolean()) {
                    current = t.get("id").asString();
                } else if ("ACTIVE".equals(t.get("state").asString())) {
                    api.post("/api/v1/admin/admin-tokens/" + t.get("id").asString() + "/revoke", ADMIN, null);
                }
            }
            Api.Reply r = api.post("/api/v1/admin/admin-tokens/" + current + "/revoke", ADMIN, null);
            assertEquals(409, r.status());
            assertEquals("last-admin-token", r.reason());
            assertEquals(200, api.get("/api/v1/admin/federations", ADMIN).status());
        }
    }
}
