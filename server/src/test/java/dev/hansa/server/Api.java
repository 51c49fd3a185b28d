package dev.hansa.server;

import dev.hansa.client.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A thin HTTP client for tests: raw status, headers and body, nothing hidden. */
public final class Api {

    /** A response. */
    public record Reply(int status, JsonNode json, byte[] bytes, HttpResponse<byte[]> raw) {
        /** A response as any HTTP client got it, its body parsed where it is JSON. */
        public static Reply of(HttpResponse<byte[]> r) {
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && r.body().length > 0 ? JSON.readTree(r.body()) : null;
            return new Reply(r.statusCode(), json, r.body(), r);
        }

        public String reason() {
            return json == null || !json.has("reason") ? null : json.get("reason").asString();
        }
    }

    public static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Reply get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Reply post(String path, String token, Object body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body == null ? Map.of() : body))));
    }

    /** A request with a JSON body ({@code body} as it is when it is a byte array, else serialized). */
    public Reply send(String method, String path, String token, String contentType, Object body) {
        byte[] bytes = body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
        return send(request(path, token).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    public Reply delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public Reply put(String path, String token, byte[] body, String idempotencyKey) {
        HttpRequest.Builder b = request(path, token).header("Content-Type", "application/octet-stream")
                .PUT(HttpTransport.binaryBody(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b);
    }

    /** Any method; methods that carry a body send the JSON object {@code {}}. */
    public Reply exchange(String method, String path, String token) {
        boolean bodiless = java.util.Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE").contains(method);
        return send(request(path, token).header("Content-Type", "application/json").method(method,
                bodiless ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}")));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest.Builder b) {
        try {
            return Reply.of(http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
