package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.Safetensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Federations through the admin API: edit before start, clone, pause and resume, delete with their data. */
class FederationManagementTest extends EmbeddedServerTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private String path(FederationFixture f) {
        return "/api/v1/admin/federations/" + f.federationId;
    }

    private JsonNode federation(FederationFixture f) {
        return api.get(path(f), ADMIN).json();
    }

    private int audited(String action, String target) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = :a AND target = :t")
                .param("a", action).param("t", target).query(Integer.class).single();
    }

    private String initialModelHash(FederationFixture f) {
        return jdbc.sql("SELECT content_hash FROM model_versions WHERE federation_id = CAST(:f AS uuid) AND version = 0")
                .param("f", f.federationId).query(String.class).single();
    }

    private static void assertProblem(int status, String reason, Api.Reply reply) {
        assertEquals(status, reply.status(), () -> new String(reply.bytes()));
        assertEquals(reason, reply.reason(), () -> new String(reply.bytes()));
    }

    @Nested
    class EditingTheConfig {

        @Test
        void aMergePatchChangesOnlyWhatItNamesAndIsAuditLogged() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String model = initialModelHash(f);
            Api.Reply patched = api.send("PATCH", path(f) + "/config", ADMIN, MERGE_PATCH,
                    Map.of("schedule", Map.of("rounds", 7), "training", Map.of("learningRate", 0.25)));
            assertEquals(200, patched.status(), () -> new String(patched.bytes()));
            JsonNode config = patched.json().get("config");
            assertEquals(7, config.get("schedule").get("rounds").asInt());
            assertEquals(60, config.get("schedule").get("roundDeadlineSeconds").asInt(), "untouched members stay");
            assertEquals(0.25, config.get("training").get("learningRate").asDouble());
            assertEquals(7, federation(f).get("config").get("schedule").get("rounds").asInt(), "stored");
            assertEquals(model, initialModelHash(f), "the model section did not change, nor does the initial model");
            assertEquals(1, audited("federation.config.update", f.federationId));
            String changed = jdbc.sql("SELECT details->>'changed' FROM audit_log WHERE action = 'federation.config.update' "
                    + "AND target = :t").param("t", f.federationId).query(String.class).single();
            assertEquals("[\"training\", \"schedule\"]", changed);
        }

        @Test
        void nullRemovesAMemberSoItsDefaultApplies() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            Map<String, Object> patch = new java.util.HashMap<>();
            patch.put("maxAttempts", null);
            Api.Reply patched = api.send("PATCH", path(f) + "/config", ADMIN, MERGE_PATCH, Map.of("schedule", patch));
            assertEquals(200, patched.status(), () -> new String(patched.bytes()));
            assertEquals(3, patched.json().get("config").get("schedule").get("maxAttempts").asInt(), "the default");
        }

        @Test
        void aNewModelSeedGetsTheInitialModelOfThatSeed() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String before = initialModelHash(f);
            Map<String, Object> params = Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2);
            Api.Reply patched = api.send("PATCH", path(f) + "/config", ADMIN, "application/json",
                    Map.of("model", Map.of("seed", 424242)));
            assertEquals(200, patched.status(), () -> new String(patched.bytes()));
            byte[] expected = Safetensors.write(Architectures.create("mlp", params).initialize(424242),
                    Map.of("format", "pt"));
            assertEquals(ContentHash.of(expected), initialModelHash(f));
            assertNotEquals(before, initialModelHash(f));
        }

        @Test
        void putReplacesTheWholeConfig() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            Map<String, Object> config = FederationFixture.config(1, 4, 90, 0.5, "fedprox");
            config.put("name", "renamed");
            Api.Reply put = api.send("PUT", path(f) + "/config", ADMIN, "application/json", config);
            assertEquals(200, put.status(), () -> new String(put.bytes()));
            assertEquals("renamed", put.json().get("name").asString());
            assertEquals("fedprox", put.json().get("config").get("strategy").get("name").asString());
            assertEquals("fedprox", jdbc.sql("SELECT strategy FROM federations WHERE id = CAST(:f AS uuid)")
                    .param("f", f.federationId).query(String.class).single(), "the denormalised column follows");
        }

        @Test
        void anInvalidValueIsRefusedNamingTheFieldAndChangesNothing() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String before = federation(f).get("config").toString();
            Api.Reply bad = api.send("PATCH", path(f) + "/config", ADMIN, MERGE_PATCH,
                    Map.of("schedule", Map.of("rounds", 0), "training", Map.of("learningRate", 0.5)));
            assertEquals(400, bad.status());
            assertTrue(bad.json().get("detail").asString().startsWith("schedule.rounds"), bad.json().toString());
            Api.Reply unknown = api.send("PATCH", path(f) + "/config", ADMIN, MERGE_PATCH, Map.of("colour", "red"));
            assertEquals(400, unknown.status());
            assertTrue(unknown.json().get("detail").asString().startsWith("colour"), unknown.json().toString());
            assertProblem(400, "malformed-json",
                    api.send("PATCH", path(f) + "/config", ADMIN, MERGE_PATCH, "{\"schedule\": ".getBytes()));
            assertEquals(before, federation(f).get("config").toString());
            assertEquals(0, audited("federation.config.update", f.federationId));
        }

        @Test
        void aStartedFederationsConfigIsRefusedWith409() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            f.start();
            assertProblem(409, "federation-started", api.send("PATCH", path(f) + "/config", ADMIN, MERGE_PATCH,
                    Map.of("schedule", Map.of("rounds", 2))));
            assertProblem(409, "federation-started", api.send("PUT", path(f) + "/config", ADMIN, "application/json",
                    FederationFixture.config(1, 2, 60, 1.0, "fedavg")));
            assertEquals(1, federation(f).get("config").get("schedule").get("rounds").asInt());
        }
    }

    @Nested
    class Cloning {

        @Test
        void aCloneIsANewCreatedFederationWithTheSameConfig() {
            FederationFixture source = new FederationFixture(api, 1, 3, 60, 1.0, "fedavg");
            source.start();
            Api.Reply clone = api.post(path(source) + "/clone", ADMIN, Map.of("name", "second try"));
            assertEquals(201, clone.status(), () -> new String(clone.bytes()));
            String id = clone.json().get("id").asString();
            assertNotEquals(source.federationId, id);
            assertEquals("CREATED", clone.json().get("state").asString());
            assertEquals("second try", clone.json().get("name").asString());
            JsonNode expected = federation(source).get("config");
            JsonNode got = clone.json().get("config");
            for (String section : List.of("model", "strategy", "training", "schedule", "seed")) {
                assertEquals(expected.get(section), got.get(section), section);
            }
            assertEquals(1, audited("federation.clone", id));
            assertEquals(initialModelHash(source), jdbc.sql("SELECT content_hash FROM model_versions "
                    + "WHERE federation_id = CAST(:f AS uuid) AND version = 0").param("f", id).query(String.class).single(),
                    "the same seeded initial model");
            Api.Reply unnamed = api.post(path(source) + "/clone", ADMIN, null);
            assertEquals(201, unnamed.status());
            assertEquals("test", unnamed.json().get("name").asString(), "the source's name by default");
        }

        @Test
        void aBlankNameIsRefusedNamingTheFieldAndAnUnknownSourceIs404() {
            FederationFixture source = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            int before = jdbc.sql("SELECT count(*) FROM federations").query(Integer.class).single();
            Api.Reply blank = api.post(path(source) + "/clone", ADMIN, Map.of("name", " "));
            assertProblem(400, "invalid-field", blank);
            assertEquals("name", blank.json().get("field").asString());
            assertProblem(404, "unknown-federation",
                    api.post("/api/v1/admin/federations/" + java.util.UUID.randomUUID() + "/clone", ADMIN, null));
            assertEquals(before, jdbc.sql("SELECT count(*) FROM federations").query(Integer.class).single());
        }
    }

    @Nested
    class PausingAndResuming {

        @Test
        void aPausedFederationLetsItsOpenRoundCloseAndOpensNoOtherUntilResumed() {
            FederationFixture f = new FederationFixture(api, 2, 3, 60, 1.0, "fedavg");
            f.start();
            orchestrator.tick();
            String round = f.roundIdOf(f.clients.get(0));
            Api.Reply paused = api.post(path(f) + "/pause", ADMIN, null);
            assertEquals(200, paused.status(), () -> new String(paused.bytes()));
            assertEquals("PAUSED", paused.json().get("state").asString());
            for (int i = 0; i < 2; i++) {
                assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(i).credential(),
                        upload(randomDelta(40 + i), 10), "k").status(), "the open round still takes uploads");
            }
            orchestrator.tick();
            orchestrator.tick();
            List<JsonNode> rounds = f.rounds();
            assertEquals(1, rounds.size(), "no new round while paused");
            assertEquals("CLOSED", rounds.getFirst().get("state").asString(), "the open round finished");
            assertEquals("WAITING", f.assignment(f.clients.get(0)).json().get("state").asString());
            assertProblem(409, "invalid-transition", api.post(path(f) + "/pause", ADMIN, null));
            assertProblem(409, "invalid-transition", api.post(path(f) + "/start", ADMIN, null));

            assertEquals("RUNNING", api.post(path(f) + "/resume", ADMIN, null).json().get("state").asString());
            orchestrator.tick();
            assertEquals(2, f.rounds().size(), "the next round opens");
            assertEquals(2, f.rounds().get(1).get("number").asInt());
            assertEquals(1, audited("federation.pause", f.federationId));
            assertEquals(1, audited("federation.resume", f.federationId));
        }

        @Test
        void theLastRoundClosingWhilePausedFinishesTheFederation() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            f.start();
            orchestrator.tick();
            String round = f.roundIdOf(f.clients.get(0));
            assertEquals(200, api.post(path(f) + "/pause", ADMIN, null).status());
            api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(0).credential(),
                    upload(randomDelta(44), 10), "k");
            orchestrator.tick();
            assertEquals("FINISHED", f.status());
        }

        @Test
        void onlyARunningFederationPausesAndOnlyAPausedOneResumes() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            assertProblem(409, "invalid-transition", api.post(path(f) + "/pause", ADMIN, null));
            assertProblem(409, "invalid-transition", api.post(path(f) + "/resume", ADMIN, null));
            f.start();
            assertProblem(409, "invalid-transition", api.post(path(f) + "/resume", ADMIN, null));
            assertEquals("RUNNING", f.status());
            assertEquals(0, audited("federation.resume", f.federationId));
        }

        @Test
        void aPausedFederationCanBeStoppedWhichCancelsItsOpenRound() {
            FederationFixture f = new FederationFixture(api, 1, 2, 60, 1.0, "fedavg");
            f.start();
            orchestrator.tick();
            assertEquals(200, api.post(path(f) + "/pause", ADMIN, null).status());
            assertEquals("STOPPED", api.post(path(f) + "/stop", ADMIN, null).json().get("state").asString());
            assertEquals("CANCELLED", f.rounds().getFirst().get("state").asString());
        }
    }

    @Nested
    class Deleting {

        private int rows(String sql, String federation) {
            return jdbc.sql(sql).param("f", federation).query(Integer.class).single();
        }

        private int everything(String federation) {
            return rows("SELECT count(*) FROM rounds WHERE federation_id = CAST(:f AS uuid)", federation)
                    + rows("SELECT count(*) FROM round_participants p JOIN rounds r ON r.id = p.round_id "
                    + "WHERE r.federation_id = CAST(:f AS uuid)", federation)
                    + rows("SELECT count(*) FROM model_versions WHERE federation_id = CAST(:f AS uuid)", federation)
                    + rows("SELECT count(*) FROM enrollment_tokens WHERE federation_id = CAST(:f AS uuid)", federation)
                    + rows("SELECT count(*) FROM clients WHERE federation_id = CAST(:f AS uuid)", federation)
                    + rows("SELECT count(*) FROM federations WHERE id = CAST(:f AS uuid)", federation);
        }

        @Test
        void aFinishedFederationGoesWithAllItsDataAndTheAuditLogKeepsTheRecord() {
            FederationFixture f = new FederationFixture(api, 2, 1, 60, 1.0, "fedavg");
            FederationFixture other = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            f.start();
            orchestrator.tick();
            String round = f.roundIdOf(f.clients.get(0));
            for (int i = 0; i < 2; i++) {
                api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(i).credential(),
                        upload(randomDelta(50 + i), 10), "k");
            }
            orchestrator.tick();
            assertEquals("FINISHED", f.status());
            api.post(path(f) + "/enrollment-tokens", ADMIN, Map.of("count", 2));
            int otherBefore = everything(other.federationId);
            assertTrue(everything(f.federationId) > 8);

            Api.Reply deleted = api.delete(path(f), ADMIN);
            assertEquals(204, deleted.status(), () -> new String(deleted.bytes()));
            assertEquals(0, everything(f.federationId));
            assertEquals(otherBefore, everything(other.federationId), "other federations are untouched");
            assertProblem(404, "unknown-federation", api.get(path(f), ADMIN));
            assertProblem(404, "unknown-round", api.get("/api/v1/admin/rounds/" + round + "/participants", ADMIN));
            assertEquals(1, audited("federation.delete", f.federationId));
            assertProblem(401, "invalid-credential", api.post("/api/v1/client/heartbeat",
                    f.clients.get(0).credential(), Map.of()));
        }

        @Test
        void aRunningOrPausedFederationIsRefusedAndKeepsEverything() {
            FederationFixture f = new FederationFixture(api, 1, 2, 60, 1.0, "fedavg");
            f.start();
            orchestrator.tick();
            int before = everything(f.federationId);
            assertProblem(409, "federation-active", api.delete(path(f), ADMIN));
            api.post(path(f) + "/pause", ADMIN, null);
            assertProblem(409, "federation-active", api.delete(path(f), ADMIN));
            assertEquals(before, everything(f.federationId));
            assertEquals(0, audited("federation.delete", f.federationId));
            api.post(path(f) + "/stop", ADMIN, null);
            assertEquals(204, api.delete(path(f), ADMIN).status(), "a stopped federation may go");
            assertEquals(0, everything(f.federationId));
        }
    }
}
