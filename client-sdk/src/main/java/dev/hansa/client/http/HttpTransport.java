package dev.hansa.client.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Sends requests with retries: connection failures, 5xx and 429 are retried with exponential backoff and jitter,
 * waiting at least as long as the server's {@code Retry-After} asks (up to {@code maxBackoff}); any other 4xx is final
 * and raised as {@link HansaProtocolException} built from the problem detail.
 */
public final class HttpTransport implements AutoCloseable {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public HttpTransport(ObjectMapper json, Sleeper sleeper, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                         Duration connectTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.json = json;
        this.sleeper = sleeper;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Sends {@code request} (rebuilt per attempt by the caller's builder) and returns a 2xx or 304 response. */
    public HttpResponse<byte[]> send(HttpRequest request) throws InterruptedException {
        IOException lastError = null;
        HttpResponse<byte[]> last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleeper.sleep(wait(attempt, last));
            }
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                lastError = null;
            } catch (IOException e) {
                lastError = e;
                last = null;
                continue;
            }
            int status = last.statusCode();
            if (status < 300 || status == 304) {
                return last;
            }
            if (status != 429 && status < 500) {
                throw problem(last);
            }
        }
        if (lastError != null) {
            throw new HansaProtocolException(0, "unreachable", request.uri() + " failed after " + maxAttempts
                    + " attempts: " + lastError);
        }
        throw problem(last);
    }

    /** The jittered exponential backoff, or the server's Retry-After when that is longer, never over maxBackoff. */
    private Duration wait(int attempt, HttpResponse<byte[]> refused) {
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(20, attempt - 2));
        long backoff = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        long asked = refused == null ? 0 : RetryAfter.of(refused.headers(), Instant.now()).toMillis();
        return Duration.ofMillis(Math.max(backoff, Math.min(asked, maxBackoff.toMillis())));
    }

    private HansaProtocolException problem(HttpResponse<byte[]> response) {
        String reason = "http-" + response.statusCode();
        String detail = new String(response.body(), StandardCharsets.UTF_8);
        try {
            JsonNode node = json.readTree(response.body());
            if (node != null && node.has("reason")) {
                reason = node.get("reason").asString();
                detail = node.has("detail") ? node.get("detail").asString() : detail;
            }
        } catch (JacksonException ignored) {
            // Not a problem detail (e.g. a proxy's HTML page): keep the raw body as the detail.
        }
        return new HansaProtocolException(response.statusCode(), reason, detail);
    }

    public static HttpRequest.Builder request(URI uri, String bearer, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    /**
     * A body that streams {@code bytes} with a Content-Length and without copying them: {@code ofByteArray} copies the
     * whole array into buffers up front, which doubles the memory of a multi-megabyte update while it is sent.
     */
    public static HttpRequest.BodyPublisher binaryBody(byte[] bytes) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), bytes.length);
    }

    public HttpRequest.BodyPublisher jsonBody(Map<String, ?> body) {
        return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
    }

    public JsonNode parse(HttpResponse<byte[]> response) {
        return json.readTree(response.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
