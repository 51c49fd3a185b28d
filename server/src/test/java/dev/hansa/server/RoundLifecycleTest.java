package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Rounds over real HTTP against the embedded PostgreSQL, with a clock the tests move. */
class RoundLifecycleTest extends EmbeddedServerTest {

    private FederationFixture running(int clients, int rounds, double quorum) {
        FederationFixture f = new FederationFixture(api, clients, rounds, 60, quorum, "fedavg");
        f.start();
        orchestrator.tick();
        return f;
    }

    @Test
    void fedAvgRoundMatchesDoublePrecisionRecomputation() {
        FederationFixture f = running(2, 1, 1.0);
        Tensors before = f.latestModel();
        String round = f.roundIdOf(f.clients.get(0));
        Tensors d1 = randomDelta(1), d2 = randomDelta(2);
        assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(0).credential(), upload(d1, 10), "k1").status());
        assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(1).credential(), upload(d2, 30), "k2").status());
        orchestrator.tick();
        Tensors after = f.latestModel();
        for (int i = 0; i < before.values().length; i++) {
            double expected = before.values()[i] + (10.0 * d1.values()[i] + 30.0 * d2.values()[i]) / 40.0;
            assertEquals(expected, after.values()[i], 1e-6, "parameter " + i);
        }
        assertEquals("FINISHED", f.status());
        var r = f.rounds().getFirst();
        assertEquals("CLOSED", r.get("state").asString());
        assertEquals(2, r.get("accepted").asInt());
        assertEquals("FINISHED", f.assignment(f.clients.get(0)).json().get("state").asString());
    }

    @Nested
    class Deadlines {

        @Test
        void closesWithQuorumAndDropsStragglersWhoseLateUploadIsRefused() {
            FederationFixture f = running(3, 2, 0.5);
            String round = f.roundIdOf(f.clients.get(0));
            api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(0).credential(), upload(randomDelta(5), 10), "x");
            api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(1).credential(), upload(randomDelta(6), 10), "y");
            orchestrator.tick();
            assertEquals("OPEN", f.rounds().getFirst().get("state").asString(), "waits for the third until the deadline");
            clock.advance(Duration.ofSeconds(61));
            orchestrator.tick();
            assertEquals("CLOSED", f.rounds().getFirst().get("state").asString());
            Api.Reply late = api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(2).credential(),
                    upload(randomDelta(7), 10), "z");
            assertEquals(409, late.status());
            assertEquals("round-closed", late.reason());
            var states = jdbc.sql("SELECT state FROM round_participants WHERE round_id = CAST(:r AS uuid) ORDER BY state")
                    .param("r", round).query(String.class).list();
            assertEquals(List.of("ACCEPTED", "ACCEPTED", "LATE"), states);
        }

        @Test
        void failsWithoutQuorumAndRetriesTheRound() {
            FederationFixture f = running(2, 1, 1.0);
            String first = f.roundIdOf(f.clients.get(0));
            api.put("/api/v1/client/rounds/" + first + "/update", f.clients.get(0).credential(), upload(randomDelta(8), 10), "x");
            clock.advance(Duration.ofSeconds(61));
            for (FederationFixture.Client c : f.clients) {
                api.post("/api/v1/client/heartbeat", c.credential(), Map.of());
            }
            orchestrator.tick(); // fails attempt 1
            orchestrator.tick(); // opens attempt 2
            var rounds = f.rounds();
            assertEquals("FAILED", rounds.get(0).get("state").asString());
            assertTrue(rounds.get(0).get("failureReason").asString().contains("quorum"));
            assertEquals(2, rounds.get(1).get("attempt").asInt());
            assertEquals(1, rounds.get(1).get("number").asInt());
            String second = f.roundIdOf(f.clients.get(0));
            assertNotEquals(first, second);
            clock.advance(Duration.ofSeconds(61));
            orchestrator.tick();
            orchestrator.tick();
            assertEquals("FAILED", f.status(), "maxAttempts = 2 reached");
        }
    }

    @Nested
    class ExactlyOnce {

        @Test
        void aRetryWithTheSameKeyIsRecognisedAndAnotherKeyConflicts() {
            FederationFixture f = running(2, 1, 1.0);
            String round = f.roundIdOf(f.clients.get(0));
            String path = "/api/v1/client/rounds/" + round + "/update";
            byte[] body = upload(randomDelta(9), 10);
            assertEquals(202, api.put(path, f.clients.get(0).credential(), body, "same").status());
            Api.Reply replay = api.put(path, f.clients.get(0).credential(), body, "same");
            assertEquals(200, replay.status());
            assertEquals("true", replay.raw().headers().firstValue("Idempotent-Replayed").orElse(""));
            Api.Reply other = api.put(path, f.clients.get(0).credential(), body, "other");
            assertEquals(409, other.status());
            assertEquals("already-submitted", other.reason());
            assertEquals(1, jdbc.sql("SELECT count(*) FROM round_updates WHERE round_id = CAST(:r AS uuid)")
                    .param("r", round).query(Integer.class).single());
        }

        @Test
        void concurrentDuplicatesAreCountedOnce() throws Exception {
            FederationFixture f = running(2, 1, 1.0);
            String round = f.roundIdOf(f.clients.get(0));
            String path = "/api/v1/client/rounds/" + round + "/update";
            byte[] body = upload(randomDelta(10), 10);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> api.put(path, f.clients.get(0).credential(), body, "dup").status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> r : pool.invokeAll(calls)) {
                statuses.add(r.get());
            }
            pool.shutdown();
            assertEquals(1, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
            assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(1, jdbc.sql("SELECT count(*) FROM round_participants WHERE round_id = CAST(:r AS uuid) AND state = 'ACCEPTED'")
                    .param("r", round).query(Integer.class).single());
        }
    }

    @Nested
    class BadUploads {

        FederationFixture f;
        String path;
        FederationFixture.Client me;

        @BeforeEach
        void openRound() {
            f = running(2, 1, 1.0);
            me = f.clients.get(0);
            path = "/api/v1/client/rounds/" + f.roundIdOf(me) + "/update";
        }

        private void assertRefused(int status, String reason, Api.Reply reply) {
            assertEquals(status, reply.status(), () -> new String(reply.bytes()));
            assertEquals(reason, reply.reason());
            assertTrue(reply.raw().headers().firstValue("Content-Type").orElse("").contains("application/problem+json"));
        }

        private void assertNothingStored() {
            assertEquals(0, jdbc.sql("SELECT count(*) FROM round_updates u JOIN rounds r ON r.id = u.round_id WHERE r.federation_id = CAST(:f AS uuid)")
                    .param("f", f.federationId).query(Integer.class).single());
        }

        @Test
        void wrongTensorName() {
            ModelSpec wrong = new ModelSpec(FederationFixture.SPEC.tensors().stream()
                    .map(t -> t.name().equals("fc2.bias") ? new TensorSpec("fc3.bias", t.shape()) : t).toList());
            byte[] body = Safetensors.write(new Tensors(wrong, new float[wrong.parameterCount()]), Map.of("num_samples", "1"));
            assertRefused(400, "unexpected-tensor", api.put(path, me.credential(), body, "k"));
            assertNothingStored();
            assertEquals("unexpected-tensor", jdbc.sql("SELECT rejection_reason FROM round_participants WHERE client_id = CAST(:c AS uuid)")
                    .param("c", me.id()).query(String.class).single());
        }

        @Test
        void wrongShape() {
            ModelSpec wrong = new ModelSpec(FederationFixture.SPEC.tensors().stream()
                    .map(t -> t.name().equals("fc1.weight") ? new TensorSpec("fc1.weight", new int[] {4, 3}) : t).toList());
            byte[] body = Safetensors.write(new Tensors(wrong, new float[wrong.parameterCount()]), Map.of("num_samples", "1"));
            assertRefused(400, "shape-mismatch", api.put(path, me.credential(), body, "k"));
            assertNothingStored();
        }

        @Test
        void nanAndInfinity() {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                Tensors d = randomDelta(1);
                d.values()[FederationFixture.SPEC.offset("fc2.weight") + 1] = bad;
                Api.Reply r = api.put(path, me.credential(), upload(d, 10), "k");
                assertRefused(400, "non-finite-update", r);
                assertTrue(r.json().get("detail").asString().contains("fc2.weight"));
            }
            assertNothingStored();
        }

        @Test
        void malformedSafetensors() {
            assertRefused(400, "malformed-safetensors", api.put(path, me.credential(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, "k"));
            assertNothingStored();
        }

        @Test
        void oversizedBody() {
            assertRefused(413, "payload-too-large", api.put(path, me.credential(), new byte[70 * 1024], "k"));
            assertNothingStored();
        }

        @Test
        void missingSampleCount() {
            byte[] body = Safetensors.write(randomDelta(1), Map.of("train_loss", "1.0"));
            assertRefused(400, "missing-metadata", api.put(path, me.credential(), body, "k"));
        }

        @Test
        void missingIdempotencyKey() {
            assertRefused(400, "missing-idempotency-key", api.put(path, me.credential(), upload(randomDelta(1), 1), null));
        }

        @Test
        void unknownRound() {
            assertRefused(404, "unknown-round", api.put("/api/v1/client/rounds/" + java.util.UUID.randomUUID() + "/update",
                    me.credential(), upload(randomDelta(1), 1), "k"));
        }

        @Test
        void badCredential() {
            assertRefused(401, "invalid-credential", api.put(path, "hc_not_a_real_credential", upload(randomDelta(1), 1), "k"));
            assertRefused(401, "invalid-credential", api.put(path, null, upload(randomDelta(1), 1), "k"));
        }

        @Test
        void truncatedBody() throws IOException {
            byte[] body = upload(randomDelta(1), 10);
            String head = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + me.credential()
                    + "\r\nIdempotency-Key: k\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            String response;
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body, 0, body.length / 2);
                socket.shutdownOutput();
                response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("\"reason\":\"truncated-body\""), response);
            assertNothingStored();
        }

        @Test
        void theRoundCarriesOnAfterRefusals() {
            api.put(path, me.credential(), new byte[] {1, 2, 3}, "k");
            assertEquals(202, api.put(path, me.credential(), upload(randomDelta(2), 10), "k").status());
        }
    }

    @Nested
    class Authorization {

        @Test
        void clientsStayInsideTheirFederationAndTheirAssignments() {
            FederationFixture a = running(2, 1, 1.0);
            FederationFixture b = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String roundA = a.roundIdOf(a.clients.get(0));
            String hashA = a.assignment(a.clients.get(0)).json().get("modelHash").asString();
            FederationFixture.Client outsider = b.clients.get(0);
            assertEquals(200, api.get("/api/v1/client/tensors/" + hashA, a.clients.get(1).credential()).status());
            assertEquals(404, api.get("/api/v1/client/tensors/" + hashA, outsider.credential()).status());
            Api.Reply foreign = api.put("/api/v1/client/rounds/" + roundA + "/update", outsider.credential(), upload(randomDelta(1), 1), "k");
            assertEquals(403, foreign.status());
            assertEquals("not-a-participant", foreign.reason());
        }

        @Test
        void aRoundsOutcomeIsVisibleToItsParticipantsOnly() {
            FederationFixture a = running(2, 1, 1.0);
            FederationFixture b = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            String round = a.roundIdOf(a.clients.get(0));
            String path = "/api/v1/client/rounds/" + round;
            Api.Reply open = api.get(path, a.clients.get(0).credential());
            assertEquals(200, open.status());
            assertEquals("OPEN", open.json().get("state").asString());
            assertEquals(false, open.json().get("counted").asBoolean());
            api.put(path + "/update", a.clients.get(0).credential(), upload(randomDelta(1), 1), "k0");
            api.put(path + "/update", a.clients.get(1).credential(), upload(randomDelta(2), 1), "k1");
            orchestrator.tick();
            Api.Reply closed = api.get(path, a.clients.get(0).credential());
            assertEquals("CLOSED", closed.json().get("state").asString());
            assertEquals("ACCEPTED", closed.json().get("participantState").asString());
            assertEquals(true, closed.json().get("counted").asBoolean());
            assertEquals(404, api.get(path, b.clients.get(0).credential()).status(), "another federation's round");
        }

        @Test
        void unselectedClientIsRefused() {
            FederationFixture f = new FederationFixture(api, 3, 1, 60, 1.0, "fedavg");
            // Sample 2 of 3: lower maxClients through a new federation would need config; instead revoke liveness.
            jdbc.sql("UPDATE clients SET last_heartbeat_at = now() - interval '1 day' WHERE id = CAST(:c AS uuid)")
                    .param("c", f.clients.get(2).id()).update();
            jdbc.sql("UPDATE federations SET config = jsonb_set(config, '{schedule,minClients}', '2') WHERE id = CAST(:f AS uuid)")
                    .param("f", f.federationId).update();
            f.start();
            orchestrator.tick();
            String round = f.roundIdOf(f.clients.get(0));
            Api.Reply r = api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(2).credential(), upload(randomDelta(1), 1), "k");
            assertEquals(403, r.status());
            assertEquals("not-a-participant", r.reason());
        }

        @Test
        void clientsCannotUseTheAdminApiAndAnonymousOnlyHealth() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            assertEquals(403, api.get("/api/v1/admin/federations", f.clients.get(0).credential()).status());
            assertEquals(401, api.get("/api/v1/admin/federations", null).status());
            assertEquals(401, api.get("/api/v1/client/assignment", null).status());
            assertEquals(403, api.get("/api/v1/client/assignment", ADMIN).status());
            assertEquals(200, api.get("/actuator/health", null).status());
        }

        @Test
        void enrollmentTokensWorkOnce() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            Api.Reply tokens = api.post("/api/v1/admin/federations/" + f.federationId + "/enrollment-tokens", ADMIN, Map.of("count", 1));
            String token = tokens.json().get("tokens").get(0).asString();
            assertEquals(201, api.post("/api/v1/enroll", token, Map.of()).status());
            Api.Reply again = api.post("/api/v1/enroll", token, Map.of());
            assertEquals(401, again.status());
            assertEquals("invalid-credential", again.reason());
        }
    }

    @Nested
    class AdminValidation {

        @Test
        void configErrorsNameTheField() {
            Api.Reply r = api.post("/api/v1/admin/federations", ADMIN, Map.of("name", "x",
                    "model", Map.of("architecture", "mlp", "params", Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2)),
                    "strategy", Map.of("name", "fedavg"),
                    "schedule", Map.of("rounds", 0)));
            assertEquals(400, r.status());
            assertTrue(r.json().get("detail").asString().contains("schedule.rounds"), r.json().toString());
            Api.Reply s = api.post("/api/v1/admin/federations", ADMIN, Map.of("name", "x",
                    "model", Map.of("architecture", "mlp", "params", Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2)),
                    "strategy", Map.of("name", "nope"), "schedule", Map.of("rounds", 1)));
            assertEquals(400, s.status());
            assertTrue(s.json().get("detail").asString().contains("strategy"), s.json().toString());
        }

        @Test
        void anInitialModelAboveTheUploadLimitIsRefusedBeforeItIsRead() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            Api.Reply r = api.put("/api/v1/admin/federations/" + f.federationId + "/model", ADMIN, new byte[70 * 1024], null);
            assertEquals(413, r.status());
            assertEquals("payload-too-large", r.reason());
        }

        @Test
        void uploadedInitialModelReplacesTheBuiltInOne() {
            FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            Tensors custom = randomDelta(42);
            HttpPut put = new HttpPut(api);
            assertEquals(200, put.model(f.federationId, Safetensors.write(custom, Map.of())));
            assertArrayEquals(custom.values(), f.latestModel().values());
        }
    }

    /** PUT of an initial model (the admin endpoint takes the octet-stream body without an idempotency key). */
    record HttpPut(Api api) {
        int model(String federation, byte[] body) {
            return api.put("/api/v1/admin/federations/" + federation + "/model", ADMIN, body, null).status();
        }
    }
}
