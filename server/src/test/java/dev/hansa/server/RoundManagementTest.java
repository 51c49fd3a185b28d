package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Rounds through the admin API: detail with counts, cancelling the open round, retrying a round that failed. */
class RoundManagementTest extends EmbeddedServerTest {

    private FederationFixture running(int clients, Map<String, Object> config) {
        FederationFixture f = new FederationFixture(api, clients, config);
        f.start();
        orchestrator.tick();
        return f;
    }

    private Api.Reply upload(FederationFixture f, int client, String round, byte[] body) {
        return api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(client).credential(), body,
                "k" + client);
    }

    private int audited(String action, String target) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = :a AND target = :t")
                .param("a", action).param("t", target).query(Integer.class).single();
    }

    private static void assertProblem(int status, String reason, Api.Reply reply) {
        assertEquals(status, reply.status(), () -> new String(reply.bytes()));
        assertEquals(reason, reply.reason(), () -> new String(reply.bytes()));
    }

    @Nested
    class Detail {

        @Test
        void countsParticipantsBytesRefusalsAndTiming() {
            FederationFixture f = running(3, FederationFixture.config(3, 2, 60, 0.3, "fedavg"));
            String round = f.roundIdOf(f.clients.get(0));
            byte[] accepted = FederationFixture.upload(randomDelta(1), 10);
            assertEquals(202, upload(f, 0, round, accepted).status());
            ModelSpec wrong = new ModelSpec(FederationFixture.SPEC.tensors().stream()
                    .map(t -> t.name().equals("fc2.bias") ? new TensorSpec("fc3.bias", t.shape()) : t).toList());
            byte[] refused = Safetensors.write(new Tensors(wrong, new float[wrong.parameterCount()]),
                    Map.of("num_samples", "1"));
            assertProblem(400, "unexpected-tensor", upload(f, 1, round, refused));
            assertProblem(400, "unexpected-tensor", upload(f, 1, round, refused));

            JsonNode open = api.get("/api/v1/admin/rounds/" + round, ADMIN).json();
            assertEquals("OPEN", open.get("state").asString());
            assertEquals(f.federationId, open.get("federationId").asString());
            assertEquals(3, open.get("participants").asInt());
            assertEquals(2, open.get("waiting").asInt());
            assertEquals(1, open.get("uploaded").asInt());
            assertEquals(1, open.get("rejected").asInt(), "one participant had uploads refused");
            assertEquals(2, open.get("rejections").asInt(), "twice");
            assertEquals(accepted.length, open.get("bytesReceived").asLong());
            assertEquals(0, open.get("modelVersionInNumber").asInt());
            assertTrue(open.get("closedAt").isNull() && open.get("durationSeconds").isNull());
            assertEquals("unexpected-tensor", open.get("rejectionReasons").get(0).get("reason").asString());
            assertEquals(1, open.get("rejectionReasons").get(0).get("participants").asInt());

            clock.advance(Duration.ofSeconds(61));
            orchestrator.tick();
            JsonNode closed = api.get("/api/v1/admin/rounds/" + round, ADMIN).json();
            assertEquals("CLOSED", closed.get("state").asString());
            assertEquals(61.0, closed.get("durationSeconds").asDouble(), 1.0);
            assertEquals(1, closed.get("modelVersionOutNumber").asInt());
            assertEquals(2, closed.get("dropped").asInt());
            assertEquals(0.5, closed.get("metrics").get("train_loss").asDouble(), 1e-9, closed.toString());
            JsonNode listed = f.rounds().getFirst();
            assertEquals(closed.get("uploaded"), listed.get("uploaded"), "the listing carries the same counts");
        }

        @Test
        void participantsShowTheirClientRoleAndUpload() {
            FederationFixture f = running(2, FederationFixture.config(2, 1, 60, 1.0, "fedavg"));
            String round = f.roundIdOf(f.clients.get(0));
            byte[] body = FederationFixture.upload(randomDelta(3), 10);
            upload(f, 0, round, body);
            JsonNode participants = api.get("/api/v1/admin/rounds/" + round + "/participants", ADMIN).json();
            assertEquals(2, participants.size());
            JsonNode first = null;
            for (JsonNode p : participants) {
                if (p.get("clientId").asString().equals(f.clients.get(0).id())) {
                    first = p;
                }
            }
            assertEquals("c", first.get("clientName").asString());
            assertEquals("ACCEPTED", first.get("state").asString());
            assertEquals(body.length, first.get("bytesReceived").asLong());
            assertEquals(first.get("plan").get("role"), first.get("role"));
            assertTrue(first.get("updateNorm").asDouble() > 0);
        }

        @Test
        void anUnknownRoundIs404AndAMalformedIdNamesTheParameter() {
            assertProblem(404, "unknown-round", api.get("/api/v1/admin/rounds/" + UUID.randomUUID(), ADMIN));
            Api.Reply bad = api.get("/api/v1/admin/rounds/not-a-uuid", ADMIN);
            assertProblem(400, "invalid-parameter", bad);
            assertEquals("roundId", bad.json().get("field").asString());
        }
    }

    @Nested
    class Cancelling {

        @Test
        void cancellingTheOpenRoundReleasesItsParticipantsAndARunningFederationOpensANewAttempt() {
            FederationFixture f = running(2, FederationFixture.config(2, 1, 60, 1.0, "fedavg"));
            String round = f.roundIdOf(f.clients.get(0));
            assertEquals(202, upload(f, 0, round, FederationFixture.upload(randomDelta(5), 10)).status());
            Api.Reply cancelled = api.post("/api/v1/admin/rounds/" + round + "/cancel", ADMIN, null);
            assertEquals(200, cancelled.status(), () -> new String(cancelled.bytes()));
            assertEquals("CANCELLED", cancelled.json().get("state").asString());
            assertEquals("cancelled by admin", cancelled.json().get("failureReason").asString());
            assertEquals(0, cancelled.json().get("waiting").asInt(), "no participant is left assigned");
            assertEquals(0, jdbc.sql("SELECT count(*) FROM round_updates WHERE round_id = CAST(:r AS uuid)")
                    .param("r", round).query(Integer.class).single(), "its accepted update is dropped");
            assertProblem(409, "round-cancelled", upload(f, 1, round, FederationFixture.upload(randomDelta(6), 10)));
            assertEquals(1, audited("round.cancel", round));

            orchestrator.tick();
            List<JsonNode> rounds = f.rounds();
            assertEquals(2, rounds.size());
            assertEquals(1, rounds.get(1).get("number").asInt());
            assertEquals(2, rounds.get(1).get("attempt").asInt());
            assertNotEquals(round, f.roundIdOf(f.clients.get(0)));
        }

        @Test
        void aPausedFederationStaysPausedAfterItsRoundIsCancelled() {
            FederationFixture f = running(1, FederationFixture.config(1, 2, 60, 1.0, "fedavg"));
            String round = f.roundIdOf(f.clients.get(0));
            api.post("/api/v1/admin/federations/" + f.federationId + "/pause", ADMIN, null);
            assertEquals(200, api.post("/api/v1/admin/rounds/" + round + "/cancel", ADMIN, null).status());
            orchestrator.tick();
            assertEquals(1, f.rounds().size());
            assertEquals("PAUSED", f.status());
        }

        @Test
        void onlyTheOpenRoundCanBeCancelled() {
            FederationFixture f = running(1, FederationFixture.config(1, 1, 60, 1.0, "fedavg"));
            String round = f.roundIdOf(f.clients.get(0));
            upload(f, 0, round, FederationFixture.upload(randomDelta(7), 10));
            orchestrator.tick();
            assertProblem(409, "round-not-open", api.post("/api/v1/admin/rounds/" + round + "/cancel", ADMIN, null));
            assertEquals("CLOSED", f.rounds().getFirst().get("state").asString());
            assertEquals(0, audited("round.cancel", round));
            assertProblem(404, "unknown-round",
                    api.post("/api/v1/admin/rounds/" + UUID.randomUUID() + "/cancel", ADMIN, null));
        }
    }

    @Nested
    class Retrying {

        private FederationFixture failedForGood() {
            Map<String, Object> config = FederationFixture.config(1, 1, 60, 1.0, "fedavg");
            config.put("schedule", Map.of("rounds", 1, "minClients", 1, "maxClients", 1, "roundDeadlineSeconds", 60,
                    "quorumFraction", 1.0, "maxAttempts", 1));
            FederationFixture f = running(1, config);
            clock.advance(Duration.ofSeconds(61));
            orchestrator.tick(); // the round fails without its update
            api.post("/api/v1/client/heartbeat", f.clients.get(0).credential(), Map.of());
            orchestrator.tick(); // no attempt left: the federation fails
            assertEquals("FAILED", f.status());
            return f;
        }

        @Test
        void aRoundThatRanOutOfAttemptsIsRetriedAndTheFederationRunsAgain() {
            FederationFixture f = failedForGood();
            String round = f.rounds().getFirst().get("id").asString();
            assertProblem(409, "invalid-transition",
                    api.post("/api/v1/admin/federations/" + f.federationId + "/start", ADMIN, null));
            Api.Reply retried = api.post("/api/v1/admin/rounds/" + round + "/retry", ADMIN, null);
            assertEquals(200, retried.status(), () -> new String(retried.bytes()));
            assertTrue(retried.json().get("retriedAt").isString());
            JsonNode federation = api.get("/api/v1/admin/federations/" + f.federationId, ADMIN).json();
            assertEquals("RUNNING", federation.get("state").asString());
            assertTrue(federation.get("failureReason").isNull() && federation.get("finishedAt").isNull());
            assertEquals(1, audited("round.retry", round));

            orchestrator.tick();
            String second = f.roundIdOf(f.clients.get(0));
            assertEquals(2, f.rounds().get(1).get("attempt").asInt());
            assertEquals(202, upload(f, 0, second, FederationFixture.upload(randomDelta(8), 10)).status());
            orchestrator.tick();
            assertEquals("FINISHED", f.status());
            assertProblem(409, "round-not-failed", api.post("/api/v1/admin/rounds/" + second + "/retry", ADMIN, null));
        }

        @Test
        void aRunningFederationRetriesByItselfAndAnOlderAttemptIsSuperseded() {
            FederationFixture f = running(1, FederationFixture.config(1, 1, 60, 1.0, "fedavg"));
            String first = f.roundIdOf(f.clients.get(0));
            clock.advance(Duration.ofSeconds(61));
            orchestrator.tick();
            assertEquals("FAILED", f.rounds().getFirst().get("state").asString());
            assertProblem(409, "federation-not-failed",
                    api.post("/api/v1/admin/rounds/" + first + "/retry", ADMIN, null));
            api.post("/api/v1/client/heartbeat", f.clients.get(0).credential(), Map.of());
            orchestrator.tick();
            clock.advance(Duration.ofSeconds(61));
            orchestrator.tick();
            api.post("/api/v1/client/heartbeat", f.clients.get(0).credential(), Map.of());
            orchestrator.tick();
            assertEquals("FAILED", f.status(), "maxAttempts = 2 reached");
            assertProblem(409, "round-superseded", api.post("/api/v1/admin/rounds/" + first + "/retry", ADMIN, null));
            assertEquals(0, audited("round.retry", first));
            assertEquals("FAILED", f.status());
        }
    }
}
