package dev.hansa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Creates a small federation over HTTP with enrolled, live clients. */
public final class FederationFixture {

    public static final String ADMIN = "ha_test_admin_token_0123456789";
    /** The bootstrap admin user's password ({@code hansa.admin.password}) in the shared test server. */
    public static final String ADMIN_PASSWORD = "test admin password 0123";
    public static final ModelSpec SPEC = DenseArchitecture.mlp(4, new int[] {3}, 2).spec();

    /** An enrolled client. */
    public record Client(String id, String credential) {
    }

    private static final java.util.concurrent.atomic.AtomicInteger SEEDS = new java.util.concurrent.atomic.AtomicInteger();

    public final String federationId;
    public final List<Client> clients = new ArrayList<>();
    private final Api api;

    /** Samples every fixture client declares: uploads may claim at most this many. */
    public static final int DECLARED_SAMPLES = 1000;

    public FederationFixture(Api api, int clientCount, int rounds, int deadlineSeconds, double quorum, String strategy) {
        this(api, clientCount, config(clientCount, rounds, deadlineSeconds, quorum, strategy));
    }

    /** A small MLP federation's config, as a mutable map a test may change before creating it. */
    public static Map<String, Object> config(int clientCount, int rounds, int deadlineSeconds, double quorum,
                                             String strategy) {
        Map<String, Object> config = new HashMap<>(Map.of(
                "name", "test",
                "model", Map.of("architecture", "mlp",
                        "params", Map.of("inputSize", 4, "hiddenLayers", List.of(3), "numClasses", 2), "seed", SEEDS.incrementAndGet()),
                "strategy", Map.of("name", strategy, "params", Map.of()),
                "training", Map.of("learningRate", 0.1),
                "schedule", Map.of("rounds", rounds, "minClients", clientCount, "maxClients", clientCount,
                        "roundDeadlineSeconds", deadlineSeconds, "quorumFraction", quorum, "maxAttempts", 2),
                "seed", 11));
        return config;
    }

    public FederationFixture(Api api, int clientCount, Map<String, Object> config) {
        this.api = api;
        Api.Reply created = api.post("/api/v1/admin/federations", ADMIN, config);
        assertEquals(201, created.status(), () -> new String(created.bytes()));
        federationId = created.json().get("id").asString();
        Api.Reply tokens = api.post("/api/v1/admin/federations/" + federationId + "/enrollment-tokens", ADMIN,
                Map.of("count", clientCount));
        for (var token : tokens.json().get("tokens")) {
            Api.Reply enrolled = api.post("/api/v1/enroll", token.asString(), Map.of("name", "c", "numSamples", DECLARED_SAMPLES));
            assertEquals(201, enrolled.status());
            clients.add(new Client(enrolled.json().get("clientId").asString(), enrolled.json().get("credential").asString()));
        }
        for (Client c : clients) {
            assertEquals(200, api.post("/api/v1/client/heartbeat", c.credential(), Map.of()).status());
        }
    }

    private FederationFixture(Api api, String federationId, List<Client> clients) {
        this.api = api;
        this.federationId = federationId;
        this.clients.addAll(clients);
    }

    /** A fixture for a federation created before, e.g. by a server that has since restarted on the same data. */
    public static FederationFixture existing(Api api, String federationId, List<Client> clients) {
        return new FederationFixture(api, federationId, clients);
    }

    public void start() {
        assertEquals(200, api.post("/api/v1/admin/federations/" + federationId + "/start", ADMIN, null).status());
    }

    /** The client's current assignment (no waiting). */
    public Api.Reply assignment(Client c) {
        return api.get("/api/v1/client/assignment?waitSeconds=0", c.credential());
    }

    public String roundIdOf(Client c) {
        Api.Reply a = assignment(c);
        assertEquals("ASSIGNED", a.json().get("state").asString(), () -> a.json().toString());
        return a.json().get("roundId").asString();
    }

    public Tensors latestModel() {
        Api.Reply r = api.get("/api/v1/admin/federations/" + federationId + "/models/latest", ADMIN);
        assertEquals(200, r.status());
        return Safetensors.read(r.bytes(), SPEC).tensors();
    }

    public List<tools.jackson.databind.JsonNode> rounds() {
        List<tools.jackson.databind.JsonNode> out = new ArrayList<>();
        api.get("/api/v1/admin/federations/" + federationId + "/rounds", ADMIN).json().forEach(out::add);
        return out;
    }

    public String status() {
        return api.get("/api/v1/admin/federations/" + federationId, ADMIN).json().get("state").asString();
    }

    public static Tensors randomDelta(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return new Tensors(SPEC, v);
    }

    public static byte[] upload(Tensors delta, long numSamples) {
        return Safetensors.write(delta, Map.of("num_samples", Long.toString(numSamples), "train_loss", "0.5"));
    }
}
