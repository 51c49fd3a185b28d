package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Clients through the admin API: liveness in the listing, re-admitting a revoked client. */
class ClientManagementTest extends EmbeddedServerTest {

    private int audited(String action, String target) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = :a AND target = :t")
                .param("a", action).param("t", target).query(Integer.class).single();
    }

    private JsonNode listed(FederationFixture f, FederationFixture.Client c) {
        for (JsonNode client : api.get("/api/v1/admin/federations/" + f.federationId + "/clients", ADMIN).json()) {
            if (client.get("id").asString().equals(c.id())) {
                return client;
            }
        }
        throw new AssertionError("client " + c.id() + " not listed");
    }

    @Test
    void theListingSaysWhoIsRevokedAndWhoIsLive() {
        FederationFixture f = new FederationFixture(api, 2, 1, 60, 1.0, "fedavg");
        FederationFixture.Client quiet = f.clients.get(0);
        FederationFixture.Client gone = f.clients.get(1);
        api.post("/api/v1/client/heartbeat", quiet.credential(), Map.of("device", Map.of("os", "linux")));
        assertEquals(200, api.post("/api/v1/admin/clients/" + gone.id() + "/revoke", ADMIN, null).status());
        JsonNode q = listed(f, quiet);
        assertEquals("ACTIVE", q.get("state").asString());
        assertTrue(q.get("live").asBoolean());
        assertEquals("linux", q.get("device").get("os").asString(), q.toString());
        assertTrue(q.get("lastHeartbeatAt").isString());
        JsonNode g = listed(f, gone);
        assertEquals("REVOKED", g.get("state").asString());
        assertFalse(g.get("live").asBoolean(), "a revoked client is never live");
        clock.advance(Duration.ofSeconds(31));
        assertFalse(listed(f, quiet).get("live").asBoolean(), "silent for longer than hansa.live-window");
    }

    @Test
    void aReadmittedClientUsesItsCredentialAgainAndIsSampled() {
        FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        FederationFixture.Client me = f.clients.getFirst();
        api.post("/api/v1/admin/clients/" + me.id() + "/revoke", ADMIN, null);
        assertEquals(401, api.post("/api/v1/client/heartbeat", me.credential(), Map.of()).status());

        Api.Reply readmitted = api.post("/api/v1/admin/clients/" + me.id() + "/readmit", ADMIN, null);
        assertEquals(200, readmitted.status(), () -> new String(readmitted.bytes()));
        assertEquals("ACTIVE", readmitted.json().get("state").asString());
        assertTrue(readmitted.json().get("revokedAt").isNull());
        assertEquals(1, audited("client.readmit", me.id()));
        assertEquals(200, api.post("/api/v1/client/heartbeat", me.credential(), Map.of()).status());
        f.start();
        orchestrator.tick();
        String round = f.roundIdOf(me);
        assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", me.credential(),
                upload(randomDelta(1), 10), "k").status());

        assertEquals(200, api.post("/api/v1/admin/clients/" + me.id() + "/readmit", ADMIN, null).status());
        assertEquals(1, audited("client.readmit", me.id()), "re-admitting an active client changes nothing");
    }

    @Test
    void aClientOfAFinishedFederationIsNotReadmittedAndAnUnknownOneIs404() {
        FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        FederationFixture.Client me = f.clients.getFirst();
        f.start();
        orchestrator.tick();
        api.put("/api/v1/client/rounds/" + f.roundIdOf(me) + "/update", me.credential(), upload(randomDelta(2), 10),
                "k");
        orchestrator.tick();
        assertEquals("FINISHED", f.status());
        api.post("/api/v1/admin/clients/" + me.id() + "/revoke", ADMIN, null);
        Api.Reply refused = api.post("/api/v1/admin/clients/" + me.id() + "/readmit", ADMIN, null);
        assertEquals(409, refused.status());
        assertEquals("federation-over", refused.reason());
        assertEquals("REVOKED", listed(f, me).get("state").asString(), "still revoked");
        assertEquals(0, audited("client.readmit", me.id()));
        Api.Reply unknown = api.post("/api/v1/admin/clients/" + UUID.randomUUID() + "/readmit", ADMIN, null);
        assertEquals(404, unknown.status());
        assertEquals("unknown-client", unknown.reason());
    }
}
