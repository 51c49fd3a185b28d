package dev.hansa.server.federation;

import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.model.ModelVersion;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import dev.hansa.server.system.Secrets;
import dev.hansa.server.system.Timestamps;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Administrative changes to federations; each is audit-logged in the same transaction. */
@Service
public class FederationService {

    private final FederationRepository federations;
    private final ModelRepository models;
    private final FederationRuntime runtime;
    private final PrivacySettingsCache privacySettings;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Timestamps time;

    FederationService(FederationRepository federations, ModelRepository models, FederationRuntime runtime,
                      PrivacySettingsCache privacySettings, AuditLog audit, ApplicationEventPublisher events,
                      Timestamps time) {
        this.federations = federations;
        this.models = models;
        this.runtime = runtime;
        this.privacySettings = privacySettings;
        this.audit = audit;
        this.events = events;
        this.time = time;
    }

    @Transactional
    public Federation create(FederationConfig config, String actor) {
        UUID id = insert(config);
        audit.record(actor, "federation.create", id.toString(), Map.of("name", config.name()));
        return federations.find(id).orElseThrow();
    }

    /**
     * A new federation (CREATED) with the config of {@code sourceId}, under {@code name} when one is given. A custom
     * architecture's uploaded initial model is copied too, as no config can recreate it.
     */
    @Transactional
    public Federation cloneOf(UUID sourceId, String name, String actor) {
        Federation source = require(sourceId);
        if (name != null && (name.isBlank() || name.length() > 200)) {
            throw new InvalidField("name", "must hold 1..200 characters");
        }
        Map<String, Object> map = new LinkedHashMap<>(source.config().toMap());
        if (name != null) {
            map.put("name", name);
        }
        FederationConfig config = FederationConfig.parse(map);
        UUID id = insert(config);
        if (config.architecture().equals(FederationConfig.CUSTOM)) {
            models.byVersion(sourceId, 0).ifPresent(m -> models.insert(new ModelVersion(UUID.randomUUID(), id, 0,
                    m.contentHash(), m.blob(), m.strategyState(), null, time.now())));
        }
        audit.record(actor, "federation.clone", id.toString(), Map.of("source", sourceId.toString(), "name",
                config.name()));
        return federations.find(id).orElseThrow();
    }

    /** Stores a new federation and, for a built-in architecture, its seeded initial model. */
    private UUID insert(FederationConfig config) {
        UUID id = UUID.randomUUID();
        federations.insert(id, config, time.now());
        if (!config.architecture().equals(FederationConfig.CUSTOM)) {
            writeInitialModel(id, config, initialWeights(config));
        }
        return id;
    }

    private static Tensors initialWeights(FederationConfig config) {
        return Architectures.create(config.architecture(), config.modelParams()).initialize(config.modelSeed());
    }

    /** A model version as written: its content hash and size. */
    private record WrittenModel(String hash, int bytes) {
    }

    /** Writes (or replaces) model version 0: the weights and the strategy's initial server state for them. */
    private WrittenModel writeInitialModel(UUID id, FederationConfig config, Tensors weights) {
        byte[] blob = Safetensors.write(weights, ModelVersion.METADATA);
        String hash = ContentHash.of(blob);
        byte[] state = StateCodec.encode(config.rounds().protocol().strategy().initialState(weights));
        if (models.byVersion(id, 0).isPresent()) {
            models.replaceInitial(id, hash, blob, state, time.now());
        } else {
            models.insert(new ModelVersion(UUID.randomUUID(), id, 0, hash, blob, state, null, time.now()));
        }
        return new WrittenModel(hash, blob.length);
    }

    /**
     * Replaces the config of a federation that has not started. A changed {@code model} section gets a new initial
     * model (seeded for a built-in architecture; none for {@code custom}, which then needs an upload); otherwise the
     * current initial model stays, with the server state of the (possibly new) strategy.
     */
    @Transactional
    public Federation updateConfig(UUID id, FederationConfig config, String actor) {
        Federation federation = require(id);
        if (!federations.updateConfig(id, config)) {
            throw started(federation, "its config");
        }
        FederationConfig before = federation.config();
        boolean sameModel = before.architecture().equals(config.architecture())
                && before.modelParams().equals(config.modelParams()) && before.modelSeed() == config.modelSeed();
        if (!sameModel && config.architecture().equals(FederationConfig.CUSTOM)) {
            models.deleteInitial(id);
        } else if (!sameModel) {
            writeInitialModel(id, config, initialWeights(config));
        } else {
            models.byVersion(id, 0).ifPresent(m -> writeInitialModel(id, config, Safetensors.read(m.blob()).tensors()));
        }
        runtime.invalidate(id);
        privacySettings.invalidate(id);
        Map<String, Object> was = before.toMap();
        Map<String, Object> now = config.toMap();
        List<String> changed = now.keySet().stream().filter(k -> !Objects.equals(was.get(k), now.get(k))).toList();
        audit.record(actor, "federation.config.update", id.toString(), Map.of("changed", changed));
        return require(id);
    }

    /** Applies a JSON Merge Patch to the config of a federation that has not started (see {@link ConfigPatch}). */
    @Transactional
    public Federation patchConfig(UUID id, byte[] patch, String actor) {
        return updateConfig(id, ConfigPatch.apply(requireUnstarted(id).config(), patch), actor);
    }

    /**
     * The federation, whose config may still change because it has not started.
     *
     * @throws HansaProblem {@code 409 federation-started} once it has, {@code 404} for an unknown id
     */
    public Federation requireUnstarted(UUID id) {
        Federation federation = require(id);
        if (federation.state() != FederationState.CREATED) {
            throw started(federation, "its config");
        }
        return federation;
    }

    private static HansaProblem started(Federation federation, String what) {
        return new HansaProblem(HttpStatus.CONFLICT, "federation-started",
                what + " can only be changed before the federation starts (state " + federation.state() + ")");
    }

    /**
     * Deletes a federation that is not running or paused, with everything it holds: rounds, participants, updates
     * and round files (the round feature, on {@link FederationEvent.Deleted}), model versions, enrollment tokens,
     * clients. The audit log keeps the record of it.
     */
    @Transactional
    public void delete(UUID id, String actor) {
        Federation federation = require(id);
        FederationState state = federations.lockState(id).orElseThrow(() -> unknown(id));
        if (state.isActive()) {
            throw new HansaProblem(HttpStatus.CONFLICT, "federation-active", "a " + state
                    + " federation cannot be deleted; stop it first");
        }
        events.publishEvent(new FederationEvent.Deleted(id, actor));
        models.deleteAll(id);
        federations.delete(id);
        runtime.invalidate(id);
        privacySettings.invalidate(id);
        audit.record(actor, "federation.delete", id.toString(), Map.of("name", federation.name(),
                "state", state.name()));
    }

    /** Replaces (or sets) the initial model with uploaded safetensors; only before the federation starts. */
    @Transactional
    public String uploadInitialModel(UUID id, byte[] body, String actor) {
        Federation federation = require(id);
        if (federation.state() != FederationState.CREATED) {
            throw started(federation, "the initial model");
        }
        Tensors weights = Safetensors.read(body).tensors();
        int bad = weights.firstNonFinite();
        if (bad >= 0) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "non-finite-model",
                    "tensor '" + weights.tensorAt(bad) + "' holds a NaN or infinity at flat index " + bad);
        }
        if (!federation.config().architecture().equals(FederationConfig.CUSTOM)) {
            var expected = Architectures.create(federation.config().architecture(), federation.config().modelParams()).spec();
            weights = Safetensors.read(body, expected).tensors();
        }
        WrittenModel written = writeInitialModel(id, federation.config(), weights);
        runtime.invalidate(id);
        audit.record(actor, "federation.model.upload", id.toString(),
                Map.of("hash", written.hash(), "bytes", written.bytes()));
        return written.hash();
    }

    /** An issued enrollment token: its id (for listing and revoking) and its secret, shown once. */
    public record IssuedToken(UUID id, String token, OffsetDateTime expiresAt) {
    }

    public static final int MAX_TOKENS_PER_REQUEST = 10_000;
    public static final long MAX_TOKEN_TTL_SECONDS = 365L * 86_400;

    @Transactional
    public List<IssuedToken> issueEnrollmentTokens(UUID id, int count, long ttlSeconds, String actor) {
        Federation federation = require(id);
        if (federation.isOver()) {
            throw new HansaProblem(HttpStatus.CONFLICT, "federation-over", "federation is " + federation.state());
        }
        if (count < 1 || count > MAX_TOKENS_PER_REQUEST) {
            throw new InvalidField("count", "must be in [1, " + MAX_TOKENS_PER_REQUEST + "]: " + count);
        }
        if (ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
            throw new InvalidField("ttlSeconds", "must be in [1, " + MAX_TOKEN_TTL_SECONDS + "]: " + ttlSeconds);
        }
        List<IssuedToken> tokens = new ArrayList<>(count);
        OffsetDateTime now = time.now();
        OffsetDateTime expires = now.plusSeconds(ttlSeconds);
        for (int i = 0; i < count; i++) {
            String token = Secrets.generate("he_");
            UUID tokenId = UUID.randomUUID();
            federations.insertEnrollmentToken(tokenId, Secrets.hash(token), id, now, expires);
            tokens.add(new IssuedToken(tokenId, token, expires));
        }
        audit.record(actor, "federation.enrollment-tokens", id.toString(), Map.of("count", count));
        return tokens;
    }

    /** The federation's enrollment tokens with their state (never their secrets). */
    public List<Map<String, Object>> enrollmentTokens(UUID id) {
        require(id);
        OffsetDateTime now = time.now();
        return federations.enrollmentTokens(id).stream().map(t -> t.view(now)).toList();
    }

    /**
     * Revokes an unused enrollment token: it no longer admits anyone. A used token cannot be revoked (revoke the
     * client it admitted instead); revoking a revoked token changes nothing.
     */
    @Transactional
    public Map<String, Object> revokeEnrollmentToken(UUID id, UUID tokenId, String actor) {
        require(id);
        OffsetDateTime now = time.now();
        EnrollmentToken token = federations.lockEnrollmentToken(id, tokenId).orElseThrow(() -> new HansaProblem(
                HttpStatus.NOT_FOUND, "unknown-enrollment-token", "federation " + id + " has no enrollment token " + tokenId));
        String state = token.state(now);
        if (EnrollmentToken.USED.equals(state)) {
            throw new HansaProblem(HttpStatus.CONFLICT, "token-used", "enrollment token " + tokenId
                    + " was used by client " + token.usedBy() + "; revoke that client's credential instead");
        }
        if (!EnrollmentToken.REVOKED.equals(state)) {
            federations.revokeEnrollmentToken(tokenId, now);
            audit.record(actor, "enrollment-token.revoke", tokenId.toString(),
                    Map.of("federation", id.toString(), "state", state));
        }
        return federations.lockEnrollmentToken(id, tokenId).orElseThrow().view(now);
    }

    /** Starts a created federation, or resumes a stopped one (its next round opens as a new attempt). */
    @Transactional
    public Federation start(UUID id, String actor) {
        Federation federation = require(id);
        if (models.byVersion(id, 0).isEmpty()) {
            throw new HansaProblem(HttpStatus.CONFLICT, "no-model", "upload the initial model before starting");
        }
        transition(federation, EnumSet.of(FederationState.CREATED, FederationState.STOPPED), FederationState.RUNNING,
                "started" + (federation.state() == FederationState.FAILED ? " (retry its failed round instead)"
                        : federation.state() == FederationState.PAUSED ? " (resume it instead)" : ""));
        audit.record(actor, "federation.start", id.toString(), Map.of());
        events.publishEvent(new FederationEvent.Started(id));
        return require(id);
    }

    /** Pauses a running federation: no new round opens; its open round, if any, may still close or fail. */
    @Transactional
    public Federation pause(UUID id, String actor) {
        transition(require(id), EnumSet.of(FederationState.RUNNING), FederationState.PAUSED, "paused");
        audit.record(actor, "federation.pause", id.toString(), Map.of());
        return require(id);
    }

    /** Resumes a paused federation: the next round opens as soon as it is due. */
    @Transactional
    public Federation resume(UUID id, String actor) {
        transition(require(id), EnumSet.of(FederationState.PAUSED), FederationState.RUNNING, "resumed");
        audit.record(actor, "federation.resume", id.toString(), Map.of());
        events.publishEvent(new FederationEvent.Started(id));
        return require(id);
    }

    /**
     * Stops a running or paused federation; its open round is cancelled in the same transaction (see
     * {@link FederationEvent}).
     */
    @Transactional
    public Federation stop(UUID id, String actor) {
        transition(require(id), EnumSet.of(FederationState.RUNNING, FederationState.PAUSED), FederationState.STOPPED,
                "stopped");
        audit.record(actor, "federation.stop", id.toString(), Map.of());
        events.publishEvent(new FederationEvent.Stopped(id, actor));
        return require(id);
    }

    /**
     * Runs again a federation that failed because a round ran out of attempts, once that round's failure no longer
     * counts (the round feature marks it retried in the same transaction).
     */
    @Transactional
    public void rerunFailed(UUID id) {
        transition(require(id), EnumSet.of(FederationState.FAILED), FederationState.RUNNING, "run again");
        events.publishEvent(new FederationEvent.Started(id));
    }

    /** Moves {@code federation} from one of {@code from} to {@code to}, in the database too, or answers 409. */
    private void transition(Federation federation, Set<FederationState> from, FederationState to, String verb) {
        if (!from.contains(federation.state()) || !federations.transition(federation.id(),
                from.stream().map(Enum::name).toList(), to, null, time.now())) {
            throw new HansaProblem(HttpStatus.CONFLICT, "invalid-transition",
                    "a " + federation.state() + " federation cannot be " + verb);
        }
    }

    public List<Federation> all() {
        return federations.all();
    }

    /**
     * The federation's DP settings, either mechanism's (a {@code targetEpsilon} already planned into a noise
     * multiplier), empty when it runs without DP; cached per config version, so that pages polling them cost no
     * parsing or planning.
     */
    public Optional<DpSettings> privacySettings(UUID id) {
        return privacySettings.settings(id);
    }

    public Federation require(UUID id) {
        return federations.find(id).orElseThrow(() -> unknown(id));
    }

    private static HansaProblem unknown(UUID id) {
        return new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + id);
    }
}
