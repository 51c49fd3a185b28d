package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every refusal is a problem detail with a reason, including those Tomcat and Spring Security answer before any
 * controller runs. Requests an HTTP client library would not send go over a raw socket.
 */
class ErrorResponsesTest extends EmbeddedServerTest {

    private static final String AUTH = "Authorization: Bearer " + ADMIN + "\r\n";

    private RawHttp.Answer raw(String requestLine, String headers) {
        return RawHttp.send(port, requestLine + "\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n\r\n");
    }

    private static void assertProblem(int status, String reason, RawHttp.Answer answer) {
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.isProblem(), answer::toString);
        assertEquals(reason, answer.reason(), answer::toString);
        assertEquals(status, answer.json().get("status").asInt());
        assertTrue(answer.json().get("detail").asString().length() > 5, answer::toString);
    }

    private static void assertProblem(int status, String reason, Api.Reply reply) {
        assertEquals(status, reply.status(), () -> new String(reply.bytes()));
        assertTrue(reply.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(reason, reply.reason());
    }

    @Nested
    class BeforeAnyServletRuns {

        @Test
        void badPercentEncodingInThePath() {
            RawHttp.Answer a = raw("GET /api/v1/admin/federations/%zz HTTP/1.1", AUTH);
            assertProblem(400, "malformed-request", a);
            assertTrue(a.json().get("detail").asString().contains("Invalid URI"), a::toString);
        }

        @Test
        void illegalCharactersInTheRequestLine() {
            assertProblem(400, "malformed-request", raw("GET /api/v1/admin/a{b} HTTP/1.1", AUTH));
            assertProblem(400, "malformed-request", raw("GET /api/v1/admin/a\u0001b HTTP/1.1", AUTH));
            assertProblem(400, "malformed-request", raw("GET /api/v1/admin/federations/%00 HTTP/1.1", AUTH));
            assertProblem(400, "malformed-request", raw("GET /api/v1/admin/fed%2Ferations HTTP/1.1", AUTH));
        }

        @Test
        void badOrDuplicateContentLength() {
            String post = "POST /api/v1/admin/federations HTTP/1.1";
            RawHttp.Answer notANumber = raw(post, AUTH + "Content-Type: application/json\r\nContent-Length: ten\r\n");
            assertProblem(400, "malformed-request", notANumber);
            assertTrue(notANumber.json().get("detail").asString().contains("Content-Length"), notANumber::toString);
            assertProblem(400, "malformed-request",
                    raw(post, AUTH + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n"));
        }

        @Test
        void oversizedHeader() {
            RawHttp.Answer a = raw("GET /api/v1/admin/federations HTTP/1.1", AUTH + "X-Padding: " + "a".repeat(20_000) + "\r\n");
            assertProblem(400, "malformed-request", a);
            assertTrue(a.json().get("detail").asString().contains("too large"), a::toString);
        }

        @Test
        void missingHostUnsupportedTransferEncodingAndHttpVersion() {
            assertProblem(400, "malformed-request", RawHttp.send(port,
                    "GET /api/v1/admin/federations HTTP/1.1\r\n" + AUTH + "Connection: close\r\n\r\n"));
            assertProblem(501, "unsupported-transfer-encoding",
                    raw("POST /api/v1/admin/federations HTTP/1.1", AUTH + "Transfer-Encoding: gzip\r\n"));
            assertProblem(505, "unsupported-http-version", raw("GET /api/v1/admin/federations HTTP/1.7", AUTH));
        }

        @Test
        void pathsAndMethodsTheSecurityFirewallRefuses() {
            assertProblem(400, "malformed-request", raw("GET //api/v1/admin/federations HTTP/1.1", AUTH));
            assertProblem(400, "malformed-request", raw("GET /api/v1/admin/federations;x=1 HTTP/1.1", AUTH));
            assertProblem(400, "malformed-request", raw("GET /api/v1/admin/../admin/federations HTTP/1.1", AUTH));
            assertProblem(400, "malformed-request", raw("BREW /api/v1/admin/federations HTTP/1.1", AUTH));
        }

        @Test
        void traceIsNotAllowed() {
            assertProblem(405, "method-not-allowed", raw("TRACE /api/v1/admin/federations HTTP/1.1", AUTH));
        }
    }

    @Nested
    class ParametersAndBodies {

        FederationFixture.Client client;

        @BeforeEach
        void enroll() {
            client = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg").clients.getFirst();
        }

        @Test
        void unparsablePathIds() {
            Api.Reply notUuid = api.get("/api/v1/admin/federations/not-a-uuid", ADMIN);
            assertProblem(400, "invalid-parameter", notUuid);
            assertEquals("id", notUuid.json().get("field").asString());
            assertProblem(400, "invalid-parameter", api.get("/api/v1/client/rounds/123", client.credential()));
            assertProblem(400, "invalid-parameter",
                    api.get("/api/v1/admin/federations/" + java.util.UUID.randomUUID() + "/models/99999999999", ADMIN));
        }

        @Test
        void unparsableOrOutOfRangeQueryParameters() {
            for (String value : new String[] {"1e99", "abc", "99999999999999999999", "1.5"}) {
                Api.Reply r = api.get("/api/v1/client/assignment?waitSeconds=" + value, client.credential());
                assertProblem(400, "invalid-parameter", r);
                assertEquals("waitSeconds", r.json().get("field").asString());
            }
            RawHttp.Answer badEncoding = raw("GET /api/v1/client/assignment?waitSeconds=%zz HTTP/1.1",
                    "Authorization: Bearer " + client.credential() + "\r\n");
            assertProblem(400, "invalid-parameter", badEncoding);
        }

        @Test
        void unsupportedMethodNamesWhatIsAllowed() {
            Api.Reply r = send(HttpRequest.newBuilder(uri("/api/v1/admin/federations")).DELETE());
            assertProblem(405, "method-not-allowed", r);
            assertTrue(r.raw().headers().firstValue("Allow").orElse("").contains("GET"));
        }

        @Test
        void unsupportedAndUnacceptableMediaTypes() {
            Api.Reply text = send(HttpRequest.newBuilder(uri("/api/v1/admin/federations"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertProblem(415, "unsupported-media-type", text);
            Api.Reply html = send(HttpRequest.newBuilder(uri("/api/v1/admin/federations")).header("Accept", "text/html").GET());
            assertProblem(406, "not-acceptable", html);
        }

        @Test
        void malformedJsonAndWrongTypesNameTheField() {
            Api.Reply syntax = send(HttpRequest.newBuilder(uri("/api/v1/admin/federations"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": ")));
            assertProblem(400, "malformed-json", syntax);
            Api.Reply type = api.post("/api/v1/client/heartbeat", client.credential(), Map.of("numSamples", "many"));
            assertProblem(400, "malformed-json", type);
            assertEquals("numSamples", type.json().get("field").asString());
            Api.Reply range = api.post("/api/v1/client/heartbeat", client.credential(), Map.of("numSamples", 1e99));
            assertProblem(400, "malformed-json", range);
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private Api.Reply send(HttpRequest.Builder request) {
            try {
                HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                        request.header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray());
                return new Api.Reply(r.statusCode(), Api.JSON.readTree(r.body()), r.body(), r);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
