package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Text PostgreSQL cannot store (a NUL character, an unpaired surrogate) and oversized collections are refused with
 * {@code 400 invalid-field} naming the field, before anything is written; JSON bodies are bounded in bytes.
 */
class InputValidationTest extends EmbeddedServerTest {

    private static final String NUL = "a\u0000b";

    private static void assertInvalid(String field, Api.Reply reply) {
        assertEquals(400, reply.status(), () -> new String(reply.bytes()));
        assertEquals("invalid-field", reply.reason());
        assertEquals(field, reply.json().get("field").asString(), reply.json()::toString);
        assertTrue(reply.json().get("detail").asString().startsWith(field + ": "), reply.json()::toString);
    }

    private static Map<String, Object> config(Function<Map<String, Object>, Map<String, Object>> edit) {
        Map<String, Object> config = new HashMap<>(Map.of("name", "v",
                "model", Map.of("architecture", "mlp",
                        "params", Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2)),
                "strategy", Map.of("name", "fedavg", "params", Map.of()),
                "schedule", Map.of("rounds", 1)));
        return edit.apply(config);
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    @Nested
    class Enrollment {

        String federation;
        String token;

        @BeforeEach
        void issueToken() {
            federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg").federationId;
            token = api.post("/api/v1/admin/federations/" + federation + "/enrollment-tokens", ADMIN, Map.of())
                    .json().get("tokens").get(0).asString();
        }

        @Test
        void aNulInAnyTextFieldIsRefusedAndTheTokenStaysUnused() {
            assertInvalid("name", api.post("/api/v1/enroll", token, Map.of("name", NUL)));
            assertInvalid("device.os", api.post("/api/v1/enroll", token, Map.of("device", Map.of("os", NUL))));
            assertInvalid("device", api.post("/api/v1/enroll", token, Map.of("device", Map.of(NUL, "linux"))));
            assertInvalid("device.gpu.name", api.post("/api/v1/enroll", token,
                    Map.of("device", Map.of("gpu", Map.of("name", NUL)))));
            assertInvalid("device.tags[1]", api.post("/api/v1/enroll", token,
                    Map.of("device", Map.of("tags", List.of("ok", NUL)))));
            assertInvalid("device.os", api.post("/api/v1/enroll", token, Map.of("device", Map.of("os", "a\ud800b"))));
            assertEquals(0, jdbc.sql("SELECT count(*) FROM clients WHERE federation_id = CAST(:f AS uuid) AND name <> 'c'")
                    .param("f", federation).query(Integer.class).single());
            assertEquals(201, api.post("/api/v1/enroll", token, Map.of("name", "fine")).status(),
                    "the refusals rolled back: the token is still unused");
        }

        @Test
        void sizesAreBounded() {
            assertInvalid("name", api.post("/api/v1/enroll", token, Map.of("name", "n".repeat(201))));
            assertInvalid("numSamples", api.post("/api/v1/enroll", token, Map.of("numSamples", -1)));
            Map<String, Object> wide = new HashMap<>();
            IntStream.range(0, 65).forEach(i -> wide.put("k" + i, i));
            assertInvalid("device", api.post("/api/v1/enroll", token, Map.of("device", wide)));
            assertInvalid("device.a.b.c.d", api.post("/api/v1/enroll", token,
                    Map.of("device", Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", 1))))))));
            assertInvalid("device.os", api.post("/api/v1/enroll", token, Map.of("device", Map.of("os", "x".repeat(257)))));
            assertInvalid("device", api.post("/api/v1/enroll", token, Map.of("device", Map.of("k".repeat(65), 1))));
        }
    }

    @Nested
    class ClientReports {

        FederationFixture f;
        FederationFixture.Client me;

        @BeforeEach
        void enroll() {
            f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
            me = f.clients.getFirst();
            assertEquals(200, api.post("/api/v1/client/heartbeat", me.credential(), Map.of("device", Map.of("os", "linux"))).status());
        }

        @Test
        void heartbeatRefusesNulsAndOversizedDeviceInfoAndKeepsTheStoredOne() {
            assertInvalid("device.os", api.post("/api/v1/client/heartbeat", me.credential(), Map.of("device", Map.of("os", NUL))));
            assertInvalid("device", api.post("/api/v1/client/heartbeat", me.credential(), Map.of("device", Map.of(NUL, 1))));
            assertInvalid("device.list[0]", api.post("/api/v1/client/heartbeat", me.credential(),
                    Map.of("device", Map.of("list", List.of(NUL)))));
            assertInvalid("numSamples", api.post("/api/v1/client/heartbeat", me.credential(), Map.of("numSamples", -5)));
            assertEquals("linux", jdbc.sql("SELECT device->>'os' FROM clients WHERE id = CAST(:c AS uuid)")
                    .param("c", me.id()).query(String.class).single());
        }

        @Test
        void metricReportsRefuseNulKeysAndTooManyOrTooLongKeys() {
            f.start();
            orchestrator.tick();
            String path = "/api/v1/client/rounds/" + f.roundIdOf(me) + "/metrics";
            assertInvalid("metrics", api.post(path, me.credential(), Map.of("metrics", Map.of(NUL, 0.5))));
            Map<String, Object> many = new HashMap<>();
            IntStream.range(0, 65).forEach(i -> many.put("m" + i, 0.5));
            assertInvalid("metrics", api.post(path, me.credential(), Map.of("metrics", many)));
            assertInvalid("metrics", api.post(path, me.credential(), Map.of("metrics", Map.of("m".repeat(65), 0.5))));
            assertInvalid("metrics", api.post(path, me.credential(), Map.of("metrics", Map.of("", 0.5))));
            assertInvalid("metrics", api.post(path, me.credential(), Map.of()));
            assertInvalid("numSamples", api.post(path, me.credential(), Map.of("numSamples", -1, "metrics", Map.of("acc", 1.0))));
            assertEquals(204, api.post(path, me.credential(), Map.of("numSamples", 10, "metrics", Map.of("acc", 0.5))).status());
            assertEquals(0.5, jdbc.sql("SELECT (eval_metrics->>'acc')::float8 FROM round_participants WHERE client_id = CAST(:c AS uuid)")
                    .param("c", me.id()).query(Double.class).single());
        }

        @Test
        void jsonBodiesAreBoundedWhetherDeclaredOrChunked() throws Exception {
            byte[] body = Api.JSON.writeValueAsBytes(Map.of("device", Map.of("os", "x".repeat(70_000))));
            for (HttpRequest.BodyPublisher publisher : List.of(HttpRequest.BodyPublishers.ofByteArray(body),
                    HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/client/heartbeat"))
                        .header("Authorization", "Bearer " + me.credential()).header("Content-Type", "application/json")
                        .POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(413, r.statusCode(), r.body());
                assertEquals("body-too-large", Api.JSON.readTree(r.body()).get("reason").asString());
            }
        }
    }

    @Nested
    class AdminBodies {

        @Test
        void federationConfigsRefuseNulsAnywhere() {
            assertInvalid("name", api.post("/api/v1/admin/federations", ADMIN, config(c -> with(c, "name", NUL))));
            assertInvalid("strategy.name", api.post("/api/v1/admin/federations", ADMIN,
                    config(c -> with(c, "strategy", Map.of("name", NUL, "params", Map.of())))));
            assertInvalid("strategy.params", api.post("/api/v1/admin/federations", ADMIN,
                    config(c -> with(c, "strategy", Map.of("name", "fedavg", "params", Map.of(NUL, 1.0))))));
            assertInvalid("model.architecture", api.post("/api/v1/admin/federations", ADMIN,
                    config(c -> with(c, "model", Map.of("architecture", NUL)))));
            assertEquals(0, jdbc.sql("SELECT count(*) FROM federations WHERE name LIKE 'a%b'").query(Integer.class).single());
        }

        @Test
        void federationConfigsAreBounded() {
            assertInvalid("name", api.post("/api/v1/admin/federations", ADMIN, config(c -> with(c, "name", "n".repeat(201)))));
            assertInvalid("model.params.hiddenLayers", api.post("/api/v1/admin/federations", ADMIN,
                    config(c -> with(c, "model", Map.of("architecture", "mlp", "params", Map.of("inputSize", 4,
                            "hiddenLayers", IntStream.range(0, 1_001).boxed().toList(), "numClasses", 2))))));
            assertInvalid("strategy.params.a.b.c.d", api.post("/api/v1/admin/federations", ADMIN,
                    config(c -> with(c, "strategy", Map.of("name", "fedavg",
                            "params", Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", 1))))))))));
        }

        @Test
        void enrollmentTokenRequestsAreBounded() {
            String federation = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg").federationId;
            String path = "/api/v1/admin/federations/" + federation + "/enrollment-tokens";
            assertInvalid("count", api.post(path, ADMIN, Map.of("count", 10_001)));
            assertInvalid("count", api.post(path, ADMIN, Map.of("count", 0)));
            assertInvalid("ttlSeconds", api.post(path, ADMIN, Map.of("ttlSeconds", 0)));
            assertInvalid("ttlSeconds", api.post(path, ADMIN, Map.of("ttlSeconds", 366L * 86_400)));
            Api.Reply huge = api.post(path, ADMIN, Map.of("count", 1e99));
            assertEquals(400, huge.status());
            assertEquals("count", huge.json().get("field").asString());
        }

        @Test
        void adminTokenNamesAreStorableText() {
            assertInvalid("name", api.post("/api/v1/admin/admin-tokens", ADMIN, Map.of("name", NUL)));
            assertInvalid("name", api.post("/api/v1/admin/admin-tokens", ADMIN, Map.of("name", " ")));
            assertInvalid("name", api.post("/api/v1/admin/admin-tokens", ADMIN, Map.of("name", "n".repeat(101))));
            assertEquals(0, jdbc.sql("SELECT count(*) FROM admin_tokens WHERE name LIKE 'a%b' OR name = '' OR length(name) > 100")
                    .query(Integer.class).single());
        }
    }
}
