package dev.hansa.client;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.model.Safetensors;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.StrategyState;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.client.http.HttpTransport;
import dev.hansa.client.http.Sleeper;
import dev.hansa.client.state.ClientStateStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A federation participant: enrolls (or reuses its stored credential), heartbeats, long-polls for assignments,
 * downloads the model by hash (cached, verified), trains with the app's {@link LocalTrainer}, uploads the update
 * with an idempotency key derived from the round and the client (so a retry or a restarted client is recognised and
 * never counted twice), keeps its strategy state across restarts and reports evaluation metrics.
 *
 * <p>Client-held strategy state (FedSpeed's h_i, FedAMD's anchor gradient) must advance exactly when the server
 * counts the update that goes with it. The state a round's training produces is therefore stored as <em>pending</em>
 * before the upload and resolved once the round is over (before the next training, or when the federation
 * finishes): kept if the round closed with this client's update accepted, dropped if the round failed or the update
 * was refused. A crash anywhere in between leaves the pending state on disk to be resolved the same way.
 *
 * <p>No hidden threads: call {@link #step()} from your own scheduler, or {@link #run()} to loop until the
 * federation finishes. Not thread-safe.
 */
public final class HansaClient implements AutoCloseable {

    /** What one {@link #step()} did. */
    public enum StepResult { TRAINED, WAITING, REJECTED, FINISHED }

    private static final System.Logger log = System.getLogger(HansaClient.class.getName());

    private final HansaClientConfig config;
    private final LocalTrainer trainer;
    private final ClientStateStore store;
    private final HttpTransport transport;
    private final ObjectMapper json = JsonMapper.builder().build();
    private ClientStateStore.Credential credential;
    private String lastRoundId;

    public HansaClient(HansaClientConfig config, LocalTrainer trainer) {
        this(config, trainer, Sleeper.SYSTEM);
    }

    public HansaClient(HansaClientConfig config, LocalTrainer trainer, Sleeper sleeper) {
        this.config = config;
        this.trainer = trainer;
        this.store = new ClientStateStore(config.stateDir());
        this.transport = new HttpTransport(json, sleeper, config.maxAttempts(), config.initialBackoff(),
                config.maxBackoff(), Duration.ofSeconds(10));
    }

    /** The client id, once enrolled. */
    public Optional<String> clientId() {
        return Optional.ofNullable(credential).map(ClientStateStore.Credential::clientId);
    }

    /** Steps until the federation is finished. */
    public void run() throws InterruptedException {
        while (step() != StepResult.FINISHED) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** One cycle: make sure we are enrolled, heartbeat, wait for an assignment and carry it out. */
    public StepResult step() throws InterruptedException {
        ensureEnrolled();
        post("/api/v1/client/heartbeat", Map.of("numSamples", trainer.numSamples(), "device", config.device()));
        JsonNode assignment = get("/api/v1/client/assignment?waitSeconds=" + config.pollWait().toSeconds(),
                config.requestTimeout().plus(config.pollWait()));
        String state = assignment.get("state").asString();
        return switch (state) {
            case "ASSIGNED" -> train(assignment);
            case "FINISHED" -> {
                resolvePendingState(null);
                yield StepResult.FINISHED;
            }
            default -> StepResult.WAITING;
        };
    }

    private StepResult train(JsonNode a) throws InterruptedException {
        String roundId = a.get("roundId").asString();
        TrainingPlan plan = json.treeToValue(a.get("plan"), TrainingPlan.class);
        ModelWeights global = Safetensors.read(tensors(a.get("modelHash").asString())).weights();
        Optional<ModelWeights> broadcast = a.hasNonNull("broadcastHash")
                ? Optional.of(Safetensors.read(tensors(a.get("broadcastHash").asString())).weights())
                : Optional.empty();
        if (!roundId.equals(lastRoundId)) {
            reportEvaluation(roundId, global);
            lastRoundId = roundId;
        }
        resolvePendingState(roundId);
        StrategyState state = store.strategyState(credential.federationId());
        LocalResult result = trainer.train(global, plan, broadcast, state);
        if (result.state() != state) {
            // Stored before the upload, so a crash after the server accepted it cannot lose the state.
            store.savePendingState(credential.federationId(), roundId, result.state());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("num_samples", Long.toString(result.numSamples()));
        result.metrics().forEach((k, v) -> metadata.put(k, Double.toString(v)));
        byte[] body = Safetensors.write(result.upload(), metadata);
        try {
            HttpRequest request = HttpTransport.request(uri("/api/v1/client/rounds/" + roundId + "/update"),
                            credential.secret(), config.requestTimeout())
                    .header("Idempotency-Key", idempotencyKey(roundId))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpTransport.binaryBody(body)).build();
            transport.send(request);
        } catch (HansaProtocolException e) {
            log.log(System.Logger.Level.WARNING, "round {0}: update refused: {1}", roundId, e.getMessage());
            return StepResult.REJECTED;
        }
        return StepResult.TRAINED;
    }

    /**
     * Keeps or drops the pending strategy state of an earlier round by asking the server whether that round counted
     * this client's update; a pending state of {@code currentRoundId} (a retry of the same round) is left alone.
     */
    private void resolvePendingState(String currentRoundId) throws InterruptedException {
        String federation = credential.federationId();
        Optional<ClientStateStore.PendingState> pending = store.pendingState(federation);
        if (pending.isEmpty() || pending.get().roundId().equals(currentRoundId)) {
            return;
        }
        String roundId = pending.get().roundId();
        boolean counted;
        try {
            JsonNode outcome = get("/api/v1/client/rounds/" + roundId, config.requestTimeout());
            if ("OPEN".equals(outcome.get("state").asString())) {
                return;
            }
            counted = outcome.get("counted").asBoolean();
        } catch (HansaProtocolException e) {
            if (e.status() != 403 && e.status() != 404) {
                throw e;
            }
            counted = false; // the server does not know this client in that round: nothing of it was counted
        }
        if (counted) {
            store.commitPendingState(federation);
        } else {
            log.log(System.Logger.Level.INFO, "round {0} did not count this client''s update; its strategy state "
                    + "stays as before the round", roundId);
            store.discardPendingState(federation);
        }
    }

    private void reportEvaluation(String roundId, ModelWeights global) throws InterruptedException {
        Map<String, Double> metrics = trainer.evaluate(global);
        if (!metrics.isEmpty()) {
            try {
                post("/api/v1/client/rounds/" + roundId + "/metrics", Map.of("metrics", metrics));
            } catch (HansaProtocolException e) {
                log.log(System.Logger.Level.WARNING, "round {0}: evaluation report refused: {1}", roundId, e.getMessage());
            }
        }
    }

    /** Same round and client give the same key, so a retried or re-sent upload is recognised by the server. */
    static String idempotencyKey(String roundId, String clientId) {
        return ClientStateStore.sha256((roundId + "/" + clientId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 40);
    }

    private String idempotencyKey(String roundId) {
        return idempotencyKey(roundId, credential.clientId());
    }

    private byte[] tensors(String hash) throws InterruptedException {
        Optional<byte[]> cached = store.cached(hash);
        if (cached.isPresent()) {
            return cached.get();
        }
        HttpResponse<byte[]> response = transport.send(HttpTransport.request(uri("/api/v1/client/tensors/" + hash),
                credential.secret(), config.requestTimeout()).GET().build());
        byte[] bytes = response.body();
        if (!ClientStateStore.sha256(bytes).equals(hash)) {
            throw new HansaProtocolException(response.statusCode(), "hash-mismatch",
                    "downloaded tensors do not hash to " + hash + "; refusing to train on them");
        }
        store.cache(hash, bytes);
        return bytes;
    }

    private void ensureEnrolled() throws InterruptedException {
        if (credential != null) {
            return;
        }
        Optional<ClientStateStore.Credential> stored = store.credential();
        if (stored.isPresent()) {
            credential = stored.get();
            return;
        }
        if (config.enrollmentToken() == null) {
            throw new IllegalStateException("enrollmentToken is required: no stored credential in " + config.stateDir());
        }
        Map<String, Object> body = new HashMap<>();
        body.put("name", config.name());
        body.put("numSamples", trainer.numSamples());
        body.put("device", config.device());
        HttpResponse<byte[]> response = transport.send(HttpTransport.request(uri("/api/v1/enroll"),
                        config.enrollmentToken(), config.requestTimeout())
                .header("Content-Type", "application/json").POST(transport.jsonBody(body)).build());
        JsonNode node = transport.parse(response);
        credential = new ClientStateStore.Credential(node.get("clientId").asString(), node.get("federationId").asString(),
                node.get("credential").asString());
        store.saveCredential(credential);
    }

    private JsonNode get(String path, Duration timeout) throws InterruptedException {
        return transport.parse(transport.send(HttpTransport.request(uri(path), credential.secret(), timeout).GET().build()));
    }

    private void post(String path, Map<String, ?> body) throws InterruptedException {
        transport.send(HttpTransport.request(uri(path), credential.secret(), config.requestTimeout())
                .header("Content-Type", "application/json").POST(transport.jsonBody(body)).build());
    }

    private URI uri(String path) {
        String base = config.serverUrl().toString().replaceAll("/+$", "");
        return URI.create(base + path);
    }

    @Override
    public void close() {
        transport.close();
    }
}
