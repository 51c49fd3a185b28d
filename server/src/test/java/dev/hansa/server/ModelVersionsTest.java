package dev.hansa.server;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.Safetensors;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Model versions through the admin API: listed with their rounds' metrics, compared two at a time. */
class ModelVersionsTest extends EmbeddedServerTest {

    /** A two-round federation of one client whose rounds report train_loss 0.9, then 0.4. */
    private FederationFixture twoRounds() {
        FederationFixture f = new FederationFixture(api, 1, 2, 60, 1.0, "fedavg");
        f.start();
        double[] losses = {0.9, 0.4};
        for (int r = 0; r < 2; r++) {
            orchestrator.tick();
            String round = f.roundIdOf(f.clients.getFirst());
            byte[] body = Safetensors.write(randomDelta(60 + r), Map.of("num_samples", "10",
                    "train_loss", Double.toString(losses[r])));
            assertEquals(202, api.put("/api/v1/client/rounds/" + round + "/update", f.clients.getFirst().credential(),
                    body, "k").status());
            orchestrator.tick();
        }
        assertEquals("FINISHED", f.status());
        return f;
    }

    private float[] weights(FederationFixture f, int version) {
        Api.Reply r = api.get("/api/v1/admin/federations/" + f.federationId + "/models/" + version, ADMIN);
        assertEquals(200, r.status());
        return Safetensors.read(r.bytes(), FederationFixture.SPEC).tensors().values();
    }

    @Test
    void versionsAreListedWithTheMetricsOfTheRoundThatProducedThem() {
        FederationFixture f = twoRounds();
        JsonNode list = api.get("/api/v1/admin/federations/" + f.federationId + "/models", ADMIN).json();
        assertEquals(3, list.size());
        assertTrue(list.get(0).get("metrics").isNull(), "the initial model was produced by no round");
        assertEquals(1, list.get(1).get("roundNumber").asInt());
        assertEquals(0.9, list.get(1).get("metrics").get("train_loss").asDouble(), 1e-9);
        assertEquals(0.4, list.get(2).get("metrics").get("train_loss").asDouble(), 1e-9);
    }

    @Test
    void twoVersionsCompareMetricByMetricAndByTheDistanceOfTheirWeights() {
        FederationFixture f = twoRounds();
        Api.Reply r = api.get("/api/v1/admin/federations/" + f.federationId + "/models/compare?a=1&b=2", ADMIN);
        assertEquals(200, r.status(), () -> new String(r.bytes()));
        assertEquals(1, r.json().get("a").get("version").asInt());
        assertEquals(2, r.json().get("b").get("version").asInt());
        JsonNode loss = null;
        for (JsonNode m : r.json().get("metrics")) {
            if (m.get("name").asString().equals("train_loss")) {
                loss = m;
            }
        }
        assertEquals(0.9, loss.get("a").asDouble(), 1e-9);
        assertEquals(0.4, loss.get("b").asDouble(), 1e-9);
        assertEquals(-0.5, loss.get("difference").asDouble(), 1e-9);

        float[] a = weights(f, 1);
        float[] b = weights(f, 2);
        double sum = 0;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) b[i] - (double) a[i];
            sum += d * d;
            max = Math.max(max, Math.abs(d));
        }
        JsonNode w = r.json().get("weights");
        assertTrue(w.get("sameSpec").asBoolean());
        assertEquals(Math.sqrt(sum), w.get("l2Distance").asDouble(), 1e-12);
        assertEquals(max, w.get("maxAbsDifference").asDouble(), 1e-12);

        JsonNode fromInitial = api.get("/api/v1/admin/federations/" + f.federationId + "/models/compare?a=0&b=2",
                ADMIN).json();
        JsonNode initialLoss = fromInitial.get("metrics").get(0);
        assertTrue(initialLoss.get("a").isNull() && initialLoss.get("difference").isNull(), fromInitial.toString());
    }

    @Test
    void badVersionsAreRefusedNamingTheParameter() {
        FederationFixture f = new FederationFixture(api, 1, 1, 60, 1.0, "fedavg");
        String base = "/api/v1/admin/federations/" + f.federationId + "/models/compare";
        Api.Reply negative = api.get(base + "?a=-1&b=0", ADMIN);
        assertEquals(400, negative.status());
        assertEquals("a", negative.json().get("field").asString());
        Api.Reply text = api.get(base + "?a=0&b=x", ADMIN);
        assertEquals(400, text.status());
        assertEquals("b", text.json().get("field").asString());
        Api.Reply missing = api.get(base + "?a=0", ADMIN);
        assertEquals(400, missing.status());
        assertEquals("invalid-parameter", missing.reason());
        Api.Reply absent = api.get(base + "?a=0&b=7", ADMIN);
        assertEquals(404, absent.status());
        assertEquals("no-model", absent.reason());
    }
}
