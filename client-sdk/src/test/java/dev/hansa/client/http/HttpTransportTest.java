package dev.hansa.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Retries against a loopback server that answers from a script: status and Retry-After per request. */
class HttpTransportTest {

    private record Answer(int status, String retryAfter) {
    }

    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private HttpServer server;
    private HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            Answer a = script.isEmpty() ? new Answer(200, null) : script.poll();
            if (a.retryAfter() != null) {
                ex.getResponseHeaders().add("Retry-After", a.retryAfter());
            }
            byte[] body = ("{\"reason\":\"r" + a.status() + "\",\"detail\":\"d\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        transport = new HttpTransport(new JsonMapper(), sleeps::add, 4, Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        transport.close();
        server.stop(0);
    }

    private int get() throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x");
        return transport.send(HttpRequest.newBuilder(uri).GET().build()).statusCode();
    }

    @Test
    void waitsAsLongAsRetryAfterAsks() throws InterruptedException {
        script.add(new Answer(503, "7"));
        script.add(new Answer(429, "2"));
        assertEquals(200, get());
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(2)), sleeps);
    }

    @Test
    void retryAfterIsCappedByMaxBackoff() throws InterruptedException {
        script.add(new Answer(503, "3600"));
        assertEquals(200, get());
        assertEquals(List.of(Duration.ofSeconds(30)), sleeps);
    }

    @Test
    void withoutRetryAfterTheBackoffIsJitteredAndGrows() throws InterruptedException {
        script.add(new Answer(500, null));
        script.add(new Answer(502, null));
        script.add(new Answer(503, "0"));
        assertEquals(200, get());
        assertEquals(3, sleeps.size());
        long[] bounds = {100, 200, 400};
        for (int i = 0; i < 3; i++) {
            long ms = sleeps.get(i).toMillis();
            assertTrue(ms >= bounds[i] / 2 && ms <= bounds[i], "wait " + i + " was " + ms + " ms");
        }
    }

    @Test
    void aClientErrorIsFinalAndCarriesTheReason() {
        script.add(new Answer(409, "5"));
        HansaProtocolException e = assertThrows(HansaProtocolException.class, this::get);
        assertEquals("r409", e.reason());
        assertTrue(sleeps.isEmpty(), "4xx other than 429 is not retried, whatever Retry-After says");
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastProblem() {
        for (int i = 0; i < 4; i++) {
            script.add(new Answer(503, "1"));
        }
        HansaProtocolException e = assertThrows(HansaProtocolException.class, this::get);
        assertEquals(503, e.status());
        assertEquals(3, sleeps.size());
    }
}
