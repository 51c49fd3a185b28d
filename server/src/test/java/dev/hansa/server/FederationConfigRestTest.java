package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The create-federation endpoint reads its JSON strictly and refuses, with a 400 problem naming the field, a config
 * whose model the server could not hold, before allocating anything.
 */
class FederationConfigRestTest extends EmbeddedServerTest {

    private static final String CONFIG = """
            {"name": "rest %s", "model": {"architecture": "mlp", "params": {"inputSize": %s, "hiddenLayers": [%s],
             "numClasses": 2}}, "strategy": {"name": "fedavg"}, "schedule": {"rounds": 1}}""";

    private record Answer(int status, JsonNode problem, Duration took) {
    }

    private Answer create(String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/federations"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        long start = System.nanoTime();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Answer(r.statusCode(), r.statusCode() == 201 ? null : Api.JSON.readTree(r.body()), took);
    }

    @Test
    void aModelLargerThanTheServerCanHoldIsRefusedAtOnce() throws Exception {
        // 2^20 * 400 + 400 + 400 * 2 + 2 = 419,431,602 parameters (1.7 GB of float32): within the format's limit,
        // but 16 copies exceed any heap this test runs with. The old code allocated them until OutOfMemoryError.
        Answer a = create(CONFIG.formatted("huge", 1 << 20, 400));
        assertEquals(400, a.status(), () -> a.problem().toString());
        assertEquals("invalid-request", a.problem().get("reason").asString());
        assertTrue(a.problem().get("detail").asString().startsWith("model.params: the mlp has 419431602 parameters"),
                a.problem().toString());
        assertTrue(a.took().toMillis() < 2000, a.took().toString());
        assertEquals(201, create(CONFIG.formatted("small", 4, 3)).status());
    }

    @Test
    void aCnnFederationIsCreatedAndACnnThatDoesNotFitItsImageIsRefusedNamingTheField() throws Exception {
        String cnn = """
                {"name": "rest cnn %s", "model": {"architecture": "cnn", "params": {"inputChannels": 1,
                 "inputHeight": 28, "inputWidth": 28, "convChannels": [20, 50], "kernelSize": %d,
                 "hiddenLayers": [500], "numClasses": 10}}, "strategy": {"name": "fedavg"}, "schedule": {"rounds": 1}}""";
        assertEquals(201, create(cnn.formatted("mnist", 5)).status());
        Answer wide = create(cnn.formatted("wide kernel", 12));
        assertEquals(400, wide.status(), () -> wide.problem().toString());
        assertTrue(wide.problem().get("detail").asString().startsWith("model.params.kernelSize: conv block 2 gets a "
                + "8 x 8 input, too small for a 12 x 12 convolution"), wide.problem().toString());
    }

    @Test
    void malformedOrAmbiguousJsonIsRefusedNamingWhere() throws Exception {
        Answer duplicate = create(CONFIG.formatted("twice", 4, 3).replace("\"rounds\": 1", "\"rounds\": 1, \"rounds\": 2"));
        assertEquals(400, duplicate.status());
        assertEquals("malformed-json", duplicate.problem().get("reason").asString());
        assertEquals("schedule: not valid JSON at line 2, column 87: Duplicate Object property \"rounds\"",
                duplicate.problem().get("detail").asString());
        Answer nul = create(CONFIG.formatted("nul\\u0000", 4, 3));
        assertEquals(400, nul.status());
        assertEquals("invalid-field", nul.problem().get("reason").asString());
        assertEquals("name", nul.problem().get("field").asString());
    }

    @Test
    void aValueOfTheWrongTypeOrOutOfRangeIsNamedInTheFieldMember() throws Exception {
        String[][] cases = {
                {"\"rounds\": 1", "\"rounds\": \"ten\"", "schedule.rounds"},
                {"\"rounds\": 1", "\"rounds\": 1, \"clientFraction\": 1.5", "schedule.clientFraction"},
                {"\"name\": \"fedavg\"}", "\"name\": \"fedavg\", \"params\": {\"serverLearningRate\": \"fast\"}}",
                        "strategy.params.serverLearningRate"},
                {"\"schedule\"", "\"update\": {\"lgreco\": {\"every\": true}}, \"schedule\"", "update.lgreco.every"},
        };
        for (String[] c : cases) {
            String json = CONFIG.formatted("typed", 4, 3).replace(c[0], c[1]);
            Answer a = create(json);
            assertEquals(400, a.status(), json);
            assertEquals("invalid-request", a.problem().get("reason").asString(), a.problem().toString());
            assertEquals(c[2], a.problem().get("field").asString(), a.problem().toString());
            assertTrue(a.problem().get("detail").asString().startsWith(c[2]), a.problem().toString());
        }
    }
}
