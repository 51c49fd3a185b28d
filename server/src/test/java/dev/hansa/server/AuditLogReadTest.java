package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The audit log through the admin API: filtered by actor, action, target and time, paged, newest first. */
class AuditLogReadTest extends EmbeddedServerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Five entries of one actor, one minute apart from T0, actions alternating a and b. */
    private String fiveEntries() {
        String actor = "test:" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            jdbc.sql("INSERT INTO audit_log (at, actor, action, target, details) "
                            + "VALUES (:at, :actor, :action, :target, CAST('{\"i\": ' || :i || '}' AS jsonb))")
                    .param("at", T0.plusSeconds(60L * i).atOffset(ZoneOffset.UTC)).param("actor", actor)
                    .param("action", i % 2 == 0 ? "test.a" : "test.b").param("target", "t" + i).param("i", i).update();
        }
        return actor;
    }

    private static List<Integer> indices(JsonNode page) {
        List<Integer> out = new ArrayList<>();
        page.get("items").forEach(e -> out.add(e.get("details").get("i").asInt()));
        return out;
    }

    private Api.Reply get(String query) {
        return api.get("/api/v1/admin/audit-log?" + query, ADMIN);
    }

    @Test
    void entriesOfAnActorComeNewestFirstInPages() {
        String actor = fiveEntries();
        JsonNode all = get("actor=" + actor).json();
        assertEquals(5, all.get("total").asInt());
        assertEquals(List.of(4, 3, 2, 1, 0), indices(all));
        JsonNode first = all.get("items").get(0);
        assertEquals("2026-01-01T00:04:00Z", first.get("at").asString());
        assertEquals(actor, first.get("actor").asString());
        assertEquals("t4", first.get("target").asString());
        assertEquals(List.of(4, 3), indices(get("actor=" + actor + "&size=2").json()));
        assertEquals(List.of(2, 1), indices(get("actor=" + actor + "&size=2&page=1").json()));
        JsonNode last = get("actor=" + actor + "&size=2&page=2").json();
        assertEquals(List.of(0), indices(last));
        assertEquals(5, last.get("total").asInt());
        assertEquals(2, last.get("page").asInt());
    }

    @Test
    void actionTargetAndTimeRangeNarrowIt() {
        String actor = fiveEntries();
        assertEquals(List.of(4, 2, 0), indices(get("actor=" + actor + "&action=test.a").json()));
        assertEquals(List.of(3), indices(get("actor=" + actor + "&target=t3").json()));
        assertEquals(List.of(3, 2, 1), indices(get("actor=" + actor
                + "&from=2026-01-01T00:01:00Z&to=2026-01-01T00:04:00Z").json()), "from inclusive, to exclusive");
    }

    @Test
    void anAdminChangeIsFoundByItsTarget() {
        FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        api.post("/api/v1/admin/federations/" + f.federationId + "/start", ADMIN, null);
        JsonNode page = get("target=" + f.federationId).json();
        List<String> actions = new ArrayList<>();
        page.get("items").forEach(e -> actions.add(e.get("action").asString()));
        assertEquals(List.of("federation.start", "client.enroll", "federation.enrollment-tokens", "federation.create"),
                actions);
        assertEquals("admin", page.get("items").get(0).get("actor").asString(),
                "the admin token acts as user admin");
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        assertField("from", get("from=yesterday"));
        assertField("to", get("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"));
        assertField("size", get("size=0"));
        assertField("size", get("size=501"));
        assertField("page", get("page=-1"));
        assertField("page", get("page=first"));
        assertField("actor", get("actor="));
    }

    private static void assertField(String field, Api.Reply reply) {
        assertEquals(400, reply.status(), () -> new String(reply.bytes()));
        assertEquals(field, reply.json().get("field").asString(), reply.json().toString());
    }
}
