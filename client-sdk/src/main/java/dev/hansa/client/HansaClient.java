package dev.hansa.client;

import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelDelta;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateMetadata;
import dev.hansa.aggregation.update.UpdatePipeline;
import dev.hansa.client.http.HansaProtocolException;
import dev.hansa.client.http.HttpTransport;
import dev.hansa.client.http.Sleeper;
import dev.hansa.client.privacy.LocalBudgetExhaustedException;
import dev.hansa.client.state.ClientState;
import dev.hansa.client.state.ClientStateStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A federation participant: enrolls (or reuses its stored credential), long-polls for assignments, downloads the
 * model by hash (cached, verified), trains with the app's {@link LocalTrainer}, runs the update pipeline its plan
 * names (clip, error feedback, codec) and uploads the encoded update with an idempotency key derived from the round
 * and the client (so a retry or a restarted client is recognised and never counted twice), with its evaluation of
 * the round's global model in the same upload. A steady-state round costs one poll, one download (none when cached)
 * and one upload.
 *
 * <p>Client-held state (FedSpeed's h_i, FedAMD's anchor gradient, error-feedback residuals) must advance exactly
 * when the server counts the update that goes with it. The state a round's training produces is therefore stored as
 * <em>pending</em> before the upload and resolved once the round is over: the next poll names the pending round and
 * the server answers with its outcome; the state is kept if the round closed with this client's update accepted,
 * dropped if the round failed, was cancelled or refused the update. A crash anywhere in between leaves the pending
 * state on disk to be resolved the same way.
 *
 * <p>A {@link BuiltInTrainer} training by local DP-SGD keeps its privacy account in the state directory, paid for
 * (on disk) before each round's first noisy step and never refunded, whatever the round's outcome; a damaged account
 * file stops the client at construction. When the budget refuses a round the client stops asking for work
 * ({@link StepResult#BUDGET_EXHAUSTED}, {@link #budgetExhausted()}).
 *
 * <p>A {@link Misbehaviour} in the configuration makes it a deliberately Byzantine client for live robustness tests:
 * it then uploads an attacked update in place of its honest one.
 *
 * <p>No hidden threads: call {@link #step()} from your own scheduler, or {@link #run()} to loop until the
 * federation finishes. Not thread-safe.
 */
public final class HansaClient implements AutoCloseable {

    /** What one {@link #step()} did. */
    public enum StepResult {
        TRAINED, WAITING, REJECTED, FINISHED,
        /** The client's local DP budget refused a round: it asks for no more work (see {@link #budgetExhausted()}). */
        BUDGET_EXHAUSTED
    }

    private static final System.Logger log = System.getLogger(HansaClient.class.getName());
    /** The media type of a model delta (docs/protocol.md, "Model deltas"). */
    private static final String DELTA = "application/vnd.hansa.delta";

    private final HansaClientConfig config;
    private final LocalTrainer trainer;
    private final ClientStateStore store;
    private final HttpTransport transport;
    private final ObjectMapper json = JsonMapper.builder().build();
    private ClientStateStore.Credential credential;
    private boolean declared;
    private String evaluatedRound;
    /** The model version this client last trained on: the base it asks for the next version against. */
    private String heldModelHash;
    private Map<String, Double> evaluation = Map.of();
    private String budgetExhausted;

    public HansaClient(HansaClientConfig config, LocalTrainer trainer) {
        this(config, trainer, Sleeper.SYSTEM);
    }

    public HansaClient(HansaClientConfig config, LocalTrainer trainer, Sleeper sleeper) {
        this.config = config;
        this.store = new ClientStateStore(config.stateDir());
        LocalTrainer durable = trainer instanceof BuiltInTrainer builtIn
                ? builtIn.withPrivacyAccountIn(store.localPrivacyAccountFile()) : trainer;
        this.trainer = config.misbehaviour() instanceof Misbehaviour.LabelFlipped ? labelFlipped(durable) : durable;
        this.transport = new HttpTransport(json, sleeper, config.maxAttempts(), config.initialBackoff(),
                config.maxBackoff(), Duration.ofSeconds(10));
    }

    private static LocalTrainer labelFlipped(LocalTrainer trainer) {
        if (!(trainer instanceof BuiltInTrainer builtIn)) {
            throw new IllegalArgumentException("misbehaviour LabelFlipped needs the BuiltInTrainer, whose data the SDK "
                    + "holds; an app's own trainer flips its own labels");
        }
        return builtIn.withFlippedLabels();
    }

    /** The client id, once enrolled. */
    public Optional<String> clientId() {
        return Optional.ofNullable(credential).map(ClientStateStore.Credential::clientId);
    }

    /**
     * Why the client's local DP budget refused a round, once it has: the client then asks for no more work. Empty
     * while it still trains.
     */
    public Optional<String> budgetExhausted() {
        return Optional.ofNullable(budgetExhausted);
    }

    /**
     * Steps until the federation is finished or the client's local DP budget refuses a round.
     *
     * @return {@link StepResult#FINISHED} or {@link StepResult#BUDGET_EXHAUSTED}
     */
    public StepResult run() throws InterruptedException {
        while (true) {
            StepResult result = step();
            if (result == StepResult.FINISHED || result == StepResult.BUDGET_EXHAUSTED) {
                return result;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * One cycle: make sure we are enrolled, wait for an assignment and carry it out. Once the local DP budget has
     * refused a round, answers {@link StepResult#BUDGET_EXHAUSTED} without contacting the server.
     */
    public StepResult step() throws InterruptedException {
        if (budgetExhausted != null) {
            return StepResult.BUDGET_EXHAUSTED;
        }
        ensureEnrolled();
        declareOnce();
        String federation = credential.federationId();
        Optional<ClientStateStore.PendingState> pending = store.pendingState(federation);
        String path = "/api/v1/client/assignment?waitSeconds=" + config.pollWait().toSeconds()
                + pending.map(p -> "&pendingRound=" + URLEncoder.encode(p.roundId(), StandardCharsets.UTF_8)).orElse("");
        JsonNode assignment = get(path, config.requestTimeout().plus(config.pollWait()));
        pending.ifPresent(p -> resolve(p, assignment.path("pendingRound")));
        return switch (assignment.get("state").asString()) {
            case "ASSIGNED" -> train(assignment);
            case "FINISHED" -> StepResult.FINISHED;
            default -> StepResult.WAITING;
        };
    }

    private StepResult train(JsonNode a) throws InterruptedException {
        String roundId = a.get("roundId").asString();
        TrainingPlan plan = json.treeToValue(a.get("plan"), TrainingPlan.class);
        String modelHash = a.get("modelHash").asString();
        Tensors global = Safetensors.read(tensors(modelHash, heldModelHash)).tensors();
        heldModelHash = modelHash;
        Optional<Tensors> broadcast = a.hasNonNull("broadcastHash")
                ? Optional.of(Safetensors.read(tensors(a.get("broadcastHash").asString(), null)).tensors())
                : Optional.empty();
        if (!roundId.equals(evaluatedRound)) {
            evaluation = trainer.evaluate(global);
            evaluatedRound = roundId;
        }
        String federation = credential.federationId();
        // A retry of the same round starts again from the committed state, not from its own pending one.
        ClientState held = store.state(federation);
        LocalResult result;
        try {
            result = trainer.train(global, plan, broadcast, held.strategy());
        } catch (LocalBudgetExhaustedException e) {
            // Refused before any step, so nothing was spent; the server sees no upload and, once the client stops
            // polling, no live client to sample.
            budgetExhausted = e.getMessage();
            log.log(System.Logger.Level.WARNING, "round {0}: not training and asking for no more work: {1}",
                    roundId, budgetExhausted);
            return StepResult.BUDGET_EXHAUSTED;
        }
        UpdatePipeline pipeline = UpdatePipeline.of(plan.update());
        UpdatePipeline.Prepared prepared = pipeline.prepare(result.update(), held.update(), plan.seed());
        ClientState next = new ClientState(result.state(), prepared.state());
        if (result.state() != held.strategy() || !next.update().equals(held.update())) {
            // Stored before the upload, so a crash after the server accepted it cannot lose the state.
            store.savePendingState(federation, roundId, next);
        }
        byte[] body = pipeline.codec(plan.seed()).encode(config.misbehaviour().apply(prepared.update(), plan.seed()),
                new UpdateMetadata(result.numSamples(), prepared.withMetrics(result.metrics()), evaluation).toMap());
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
     * Keeps or drops the pending state of an earlier round from the outcome the server sent with the assignment;
     * a round still open (a retry of the same round) leaves it pending.
     */
    private void resolve(ClientStateStore.PendingState pending, JsonNode outcome) {
        String federation = credential.federationId();
        if (!outcome.isObject() || "OPEN".equals(outcome.path("state").asString())) {
            return;
        }
        if (outcome.path("counted").asBoolean(false)) {
            store.commitPendingState(federation);
        } else {
            log.log(System.Logger.Level.INFO, "round {0} did not count this client''s update ({1}); its state stays "
                    + "as before the round", pending.roundId(), outcome.path("state").asString());
            store.discardPendingState(federation);
        }
    }

    /** Tells the server the sample count and device once per start; polls keep the client live after that. */
    private void declareOnce() throws InterruptedException {
        if (!declared) {
            post("/api/v1/client/heartbeat", Map.of("numSamples", trainer.numSamples(), "device", config.device()));
            declared = true;
        }
    }

    /** Same round and client give the same key, so a retried or re-sent upload is recognised by the server. */
    static String idempotencyKey(String roundId, String clientId) {
        return ContentHash.of((roundId + "/" + clientId).getBytes(StandardCharsets.UTF_8)).substring(0, 40);
    }

    private String idempotencyKey(String roundId) {
        return idempotencyKey(roundId, credential.clientId());
    }

    /**
     * The tensors whose SHA-256 is {@code hash}: from the cache, else downloaded, as a delta against {@code base}
     * (a version this client holds, or null) where the server sends one (docs/protocol.md, "Model deltas"), and in
     * full otherwise or when the delta does not apply. Verified against the hash either way.
     */
    private byte[] tensors(String hash, String base) throws InterruptedException {
        Optional<byte[]> cached = store.cached(hash);
        if (cached.isPresent()) {
            return cached.get();
        }
        Optional<byte[]> held = base == null || base.equals(hash) ? Optional.empty() : store.cached(base);
        String query = held.isPresent() ? "?base=" + base : "";
        HttpResponse<byte[]> response = transport.send(HttpTransport.request(
                uri("/api/v1/client/tensors/" + hash + query), credential.secret(), config.requestTimeout()).GET().build());
        byte[] bytes = response.body();
        if (held.isPresent() && response.headers().firstValue("Content-Type").orElse("").equals(DELTA)) {
            try {
                bytes = ModelDelta.apply(held.get(), bytes);
            } catch (InvalidTensorsException e) {
                log.log(System.Logger.Level.WARNING, "the delta for {0} does not apply ({1}); downloading it in full",
                        hash, e.getMessage());
                return tensors(hash, null);
            }
        }
        if (!ContentHash.of(bytes).equals(hash)) {
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
        declared = true;
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
