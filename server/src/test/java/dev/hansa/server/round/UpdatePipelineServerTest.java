package dev.hansa.server.round;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.Bf16Codec;
import dev.hansa.aggregation.update.codec.QsgdCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.lgreco.LGreCoReport;
import dev.hansa.server.Api;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.FederationFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The server side of the update pipeline over HTTP and the embedded PostgreSQL: codec dispatch from the
 * participant's plan, the streaming and whole-round ingest paths, the rebuild from stored updates, and the bounds
 * a federation puts on what one client can do to the model.
 */
class UpdatePipelineServerTest extends EmbeddedServerTest {

    @Autowired
    RunningAggregates aggregates;

    private FederationFixture start(Map<String, Object> config, int clients) {
        FederationFixture f = new FederationFixture(api, clients, config);
        f.start();
        orchestrator.tick();
        return f;
    }

    private static Map<String, Object> config(int clients) {
        return FederationFixture.config(clients, 1, 60, 1.0, "fedavg");
    }

    private Api.Reply put(FederationFixture f, int client, byte[] body, String key) {
        String round = f.roundIdOf(f.clients.get(client));
        return api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(client).credential(), body, key);
    }

    private Map<String, Object> participantRow(String clientId) {
        return jdbc.sql("SELECT state, rejection_reason, rejections, update_norm, clipped_to FROM round_participants "
                + "WHERE client_id = CAST(:c AS uuid)").param("c", clientId).query().singleRow();
    }

    @Test
    void aRestartedServerRebuildsTheAggregateFromStoredUpdates() {
        FederationFixture f = start(config(2), 2);
        Tensors before = f.latestModel();
        Tensors d1 = randomDelta(3), d2 = randomDelta(4);
        String round = f.roundIdOf(f.clients.get(0));
        assertEquals(202, put(f, 0, upload(d1, 5), "a").status());
        aggregates.clear(); // what a crash does to memory; PostgreSQL keeps the accepted update
        assertEquals(202, put(f, 1, upload(d2, 15), "b").status());
        orchestrator.tick();
        Tensors after = f.latestModel();
        for (int i = 0; i < before.values().length; i++) {
            double expected = before.values()[i] + (5.0 * d1.values()[i] + 15.0 * d2.values()[i]) / 20.0;
            assertEquals(expected, after.values()[i], 1e-6);
        }
        assertEquals(0, jdbc.sql("SELECT count(*) FROM round_updates WHERE round_id = CAST(:r AS uuid)")
                .param("r", round).query(Integer.class).single(), "update blobs are deleted once the round closes");
    }

    @Test
    void aWholeRoundAggregatorTakesTheCoordinateMedianOfTheStoredUpdates() {
        Map<String, Object> config = config(3);
        config.put("robustness", Map.of("aggregator", "median"));
        FederationFixture f = start(config, 3);
        Tensors before = f.latestModel();
        Tensors[] deltas = {randomDelta(5), randomDelta(6), randomDelta(7)};
        String round = f.roundIdOf(f.clients.get(0));
        for (int c = 0; c < 3; c++) {
            assertEquals(202, put(f, c, upload(deltas[c], 1 + c), "k" + c).status());
        }
        assertTrue(aggregates.take(java.util.UUID.fromString(round), java.util.Set.of()).isEmpty(),
                "a whole-round pipeline keeps no running sum");
        orchestrator.tick();
        Tensors after = f.latestModel();
        for (int i = 0; i < before.values().length; i++) {
            float[] column = {deltas[0].values()[i], deltas[1].values()[i], deltas[2].values()[i]};
            Arrays.sort(column);
            assertEquals((float) (before.values()[i] + (double) column[1]), after.values()[i], "parameter " + i);
        }
        assertEquals("median", f.rounds().getFirst().get("pipeline").get("robustness").get("aggregator").asString());
    }

    @Test
    void theServerDecodesWithTheCodecThePlanNames() {
        Map<String, Object> config = config(2);
        config.put("update", Map.of("codec", "bf16", "errorFeedback", true));
        FederationFixture f = start(config, 2);
        var plan = f.assignment(f.clients.get(0)).json().get("plan").get("update");
        assertEquals("bf16", plan.get("codec").asString());
        assertTrue(plan.get("errorFeedback").asBoolean());
        Tensors before = f.latestModel();
        Tensors d1 = randomDelta(8), d2 = randomDelta(9);
        Map<String, String> meta = Map.of("num_samples", "1");
        Api.Reply dense = put(f, 0, Safetensors.write(d1, meta), "wrong");
        assertEquals(400, dense.status());
        assertEquals("malformed-frame", dense.reason());
        assertEquals("malformed-frame", participantRow(f.clients.get(0).id()).get("rejection_reason"));
        Bf16Codec codec = new Bf16Codec();
        assertEquals(202, put(f, 0, codec.encode(d1, meta), "a").status());
        assertEquals(202, put(f, 1, codec.encode(d2, meta), "b").status());
        orchestrator.tick();
        float[] r1 = codec.reconstruct(d1).values(), r2 = codec.reconstruct(d2).values();
        Tensors after = f.latestModel();
        for (int i = 0; i < r1.length; i++) {
            assertEquals((float) (before.values()[i] + ((double) r1[i] + r2[i]) / 2), after.values()[i], "parameter " + i);
        }
    }

    @Test
    void anUploadIsDecodedAndCheckedWithTheLGreCoPlanOfItsRound() {
        Map<String, Object> config = FederationFixture.config(2, 2, 60, 1.0, "fedavg");
        config.put("update", Map.of("codec", "qsgd", "params", Map.of("levels", 7), "lgreco", Map.of("every", 1)));
        FederationFixture f = start(config, 2);
        // The reports give every tensor's options the error 0.5 but the uniform one's 1 (s = 7), so the least plan
        // within the budget (the uniform errors' sum, 4) is option 0 everywhere: s = 1, 2-bit codes.
        Map<String, String> reports = new HashMap<>(Map.of("num_samples", "1"));
        for (int l = 0; l < 4; l++) {
            for (int j = 0; j < 5; j++) {
                reports.put(LGreCoReport.metric(l, j), j == 2 ? "1" : "0.5");
            }
        }
        for (int c = 0; c < 2; c++) {
            long seed = f.assignment(f.clients.get(c)).json().get("plan").get("seed").asLong();
            byte[] frame = new QsgdCodec(7, 512).forParticipant(seed).encode(randomDelta(20 + c), reports);
            assertEquals(202, put(f, c, frame, "r1-" + c).status());
        }
        orchestrator.tick(); // closes round 1 and re-plans
        orchestrator.tick(); // opens round 2
        var plan = f.assignment(f.clients.get(0)).json().get("plan");
        Map<String, Double> planned = new HashMap<>();
        plan.get("update").get("tensorKnob").properties()
                .forEach(e -> planned.put(e.getKey(), e.getValue().asDouble()));
        assertEquals(Map.of("fc1.weight", 1.0, "fc1.bias", 1.0, "fc2.weight", 1.0, "fc2.bias", 1.0), planned);
        long seed = plan.get("seed").asLong();
        Tensors delta = randomDelta(22);
        Map<String, String> meta = Map.of("num_samples", "1");
        Api.Reply uniform = put(f, 0, new QsgdCodec(7, 512).forParticipant(seed).encode(delta, meta), "r2-uniform");
        assertEquals(400, uniform.status(), "4-bit codes where the plan says 2");
        assertEquals("malformed-frame", uniform.reason());
        UpdateCodec codec = QsgdCodec.perTensor(7, 512, Map.of("fc1.weight", 1, "fc1.bias", 1, "fc2.weight", 1,
                "fc2.bias", 1)).forParticipant(seed);
        assertEquals(202, put(f, 0, codec.encode(delta, meta), "r2-planned").status());
    }

    @Test
    void aClaimOfMoreSamplesThanDeclaredOrAllowedIsRefused() {
        Map<String, Object> config = config(2);
        config.put("robustness", Map.of("maxSamplesPerUpdate", 500));
        FederationFixture f = start(config, 2);
        Api.Reply lie = put(f, 0, upload(randomDelta(1), 1_000_000_000_000L), "a");
        assertEquals(400, lie.status());
        assertEquals("implausible-sample-count", lie.reason());
        assertEquals(400, put(f, 0, upload(randomDelta(1), Long.MAX_VALUE), "a").status());
        Api.Reply aboveFederation = put(f, 0, upload(randomDelta(1), 501), "a");
        assertEquals("implausible-sample-count", aboveFederation.reason(), "the federation's bound is below the 1000 declared");
        assertEquals(202, put(f, 0, upload(randomDelta(1), 500), "a").status());
        Map<String, Object> row = participantRow(f.clients.get(0).id());
        assertEquals(3, row.get("rejections"));
        assertNull(row.get("rejection_reason"), "the accepted upload clears the last refusal");
    }

    @Test
    void anUpdateAboveTheNormBoundIsRefusedOrClippedAsConfigured() {
        Map<String, Object> reject = config(2);
        reject.put("robustness", Map.of("maxUpdateNorm", 0.5));
        FederationFixture f = start(reject, 2);
        Tensors big = randomDelta(10);
        Api.Reply refused = put(f, 0, upload(big, 1), "a");
        assertEquals(400, refused.status());
        assertEquals("update-norm-exceeded", refused.reason());

        Map<String, Object> clip = config(2);
        clip.put("robustness", Map.of("maxUpdateNorm", 0.5, "onNormExceeded", "clip"));
        FederationFixture g = start(clip, 2);
        Tensors before = g.latestModel();
        Tensors small = new Tensors(big.spec(), new float[big.values().length]);
        Api.Reply clipped = put(g, 0, upload(big, 1), "a");
        assertEquals(202, clipped.status());
        assertEquals(0.5, clipped.json().get("clippedTo").asDouble());
        assertEquals(big.l2Norm(), (Double) participantRow(g.clients.get(0).id()).get("update_norm"), 1e-9);
        assertEquals(202, put(g, 1, upload(small, 1), "b").status());
        orchestrator.tick();
        double scale = 0.5 / big.l2Norm();
        Tensors after = g.latestModel();
        for (int i = 0; i < big.values().length; i++) {
            assertEquals(before.values()[i] + (float) (big.values()[i] * scale) / 2.0, after.values()[i], 1e-6);
        }
    }

    @Test
    void aRoundWhoseResultIsNotFiniteFailsAndTheModelStays() {
        Map<String, Object> config = config(2);
        config.put("strategy", Map.of("name", "fedavg", "params", Map.of("serverLearningRate", 10.0)));
        FederationFixture f = start(config, 2);
        Tensors before = f.latestModel();
        float[] huge = new float[before.values().length];
        Arrays.fill(huge, 3.0e38f);
        Tensors poison = new Tensors(before.spec(), huge);
        assertEquals(202, put(f, 0, upload(poison, 1), "a").status(), "finite, so accepted");
        assertEquals(202, put(f, 1, upload(poison, 1), "b").status());
        orchestrator.tick();
        var first = f.rounds().getFirst();
        assertEquals("FAILED", first.get("state").asString());
        assertTrue(first.get("failureReason").asString().contains("not finite"), first.toString());
        assertArrayEquals(before.values(), f.latestModel().values(), "the previous model version stays current");
        assertEquals(1, jdbc.sql("SELECT count(*) FROM model_versions WHERE federation_id = CAST(:f AS uuid)")
                .param("f", f.federationId).query(Integer.class).single());
        orchestrator.tick();
        assertEquals(2, f.rounds().getLast().get("attempt").asInt(), "the round is retried");
    }

    @Test
    void metadataThatCannotBeStoredIsRefusedWithAReason() {
        FederationFixture f = start(config(2), 2);
        for (Map<String, String> bad : List.of(Map.of("num_samples", "1", "loss\u0000", "1"),
                Map.of("num_samples", "1", "loss", "1\u0000"), Map.of("num_samples", "1", "loss", "NaN"),
                Map.of("num_samples", "1 "), Map.of("num_samples", "0x10"))) {
            Api.Reply r = put(f, 0, Safetensors.write(randomDelta(1), bad), "k");
            assertEquals(400, r.status(), bad.toString());
            assertTrue(List.of("invalid-metadata", "missing-metadata", "malformed-safetensors").contains(r.reason()),
                    r.reason());
        }
        assertEquals(202, put(f, 0, upload(randomDelta(1), 1), "k").status(), "the round carries on");
    }

    @Test
    void stoppingAFederationCancelsItsOpenRound() {
        FederationFixture f = start(config(2), 2);
        String round = f.roundIdOf(f.clients.get(0));
        assertEquals(202, put(f, 0, upload(randomDelta(1), 1), "a").status());
        assertEquals(200, api.post("/api/v1/admin/federations/" + f.federationId + "/stop", ADMIN, null).status());
        var r = f.rounds().getFirst();
        assertEquals("CANCELLED", r.get("state").asString());
        assertTrue(r.get("failureReason").asString().contains("stopped"));
        Api.Reply late = api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(1).credential(),
                upload(randomDelta(2), 1), "b");
        assertEquals(409, late.status());
        assertEquals("round-cancelled", late.reason());
        assertEquals("WAITING", f.assignment(f.clients.get(1)).json().get("state").asString());
        Api.Reply outcome = api.get("/api/v1/client/rounds/" + round, f.clients.get(0).credential());
        assertEquals(false, outcome.json().get("counted").asBoolean(), "a cancelled round counts nobody's update");
        assertEquals(0, jdbc.sql("SELECT count(*) FROM round_updates WHERE round_id = CAST(:r AS uuid)")
                .param("r", round).query(Integer.class).single());
    }

    @Test
    void aRevokedClientsAssignmentIsDroppedSoItsRoundNeedNotWaitForTheDeadline() {
        FederationFixture f = start(FederationFixture.config(2, 1, 60, 0.5, "fedavg"), 2);
        assertEquals(202, put(f, 0, upload(randomDelta(1), 1), "a").status());
        assertEquals(200, api.post("/api/v1/admin/clients/" + f.clients.get(1).id() + "/revoke", ADMIN, null).status());
        assertEquals("DROPPED", participantRow(f.clients.get(1).id()).get("state"));
        orchestrator.tick();
        assertEquals("CLOSED", f.rounds().getFirst().get("state").asString(), "closed at once, not at the deadline");
    }

    @Test
    void aStoppedFederationResumesWithANewAttemptAndAFinishedOneCannotStart() {
        FederationFixture f = start(config(2), 2);
        api.post("/api/v1/admin/federations/" + f.federationId + "/stop", ADMIN, null);
        assertEquals(409, api.post("/api/v1/admin/federations/" + f.federationId + "/stop", ADMIN, null).status(),
                "a stopped federation cannot be stopped");
        f.start();
        orchestrator.tick();
        var attempts = f.rounds();
        assertEquals(List.of("CANCELLED", "OPEN"), attempts.stream().map(r -> r.get("state").asString()).toList());
        assertEquals(2, attempts.getLast().get("attempt").asInt(), "a cancelled attempt does not use up maxAttempts");
        assertEquals(202, put(f, 0, upload(randomDelta(1), 1), "a").status());
        assertEquals(202, put(f, 1, upload(randomDelta(2), 1), "b").status());
        orchestrator.tick();
        assertEquals("FINISHED", f.status());
        Api.Reply again = api.post("/api/v1/admin/federations/" + f.federationId + "/start", ADMIN, null);
        assertEquals(409, again.status());
        assertEquals("invalid-transition", again.reason());
    }

    /**
     * Sends an upload's head, then one byte every 300 ms until the server answers; returns the answer's head (the
     * server may go on reading the rest of the body, so the connection is not awaited).
     */
    private static String trickle(int port, String path, String credential, String key, byte[] body) {
        String head = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + credential
                + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            for (int i = 0; i < body.length && in.available() == 0; i++) {
                out.write(body[i]);
                out.flush();
                Thread.sleep(300);
            }
            return answer(in);
        } catch (IOException e) {
            return "connection ended: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Reads one HTTP response's head without waiting for the connection to close. */
    private static String answer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int c = in.read(); c >= 0 && !head.toString().endsWith("\r\n\r\n"); c = in.read()) {
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void aTricklingUploaderCostsOnlyItself() throws Exception {
        FederationFixture f = start(config(3), 3);
        String path = "/api/v1/client/rounds/" + f.roundIdOf(f.clients.get(0)) + "/update";
        String trickler = f.clients.get(0).credential();
        byte[] body = upload(randomDelta(1), 1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            // Two uploads of one client at a byte every 300 ms: today's ingest permits number two.
            Future<String> first = pool.submit(() -> trickle(port, path, trickler, "t1", body));
            Future<String> second = pool.submit(() -> trickle(port, path, trickler, "t2", body));
            Thread.sleep(500);
            long start = System.nanoTime();
            assertEquals(202, api.put(path, f.clients.get(1).credential(), upload(randomDelta(2), 1), "h1").status());
            assertEquals(202, api.put(path, f.clients.get(2).credential(), upload(randomDelta(3), 1), "h2").status());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("two honest uploads took %.3f s beside a client trickling two uploads%n", seconds);
            assertTrue(seconds < 1.5, "honest uploads took " + seconds + " s beside the trickler");
            List<String> answers = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
            assertTrue(answers.stream().anyMatch(a -> a.startsWith("HTTP/1.1 408")), answers.toString());
            assertTrue(answers.stream().allMatch(a -> a.startsWith("HTTP/1.1 408") || a.startsWith("HTTP/1.1 409")),
                    answers.toString());
        }
        Map<String, Object> row = participantRow(f.clients.get(0).id());
        assertEquals("ASSIGNED", row.get("state"));
        assertTrue(List.of("upload-too-slow", "upload-in-progress").contains(row.get("rejection_reason")), row.toString());
    }
}
