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
import java.util.List;
import java.util.Map;
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
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Timestamps time;

    FederationService(FederationRepository federations, ModelRepository models, FederationRuntime runtime,
                      AuditLog audit, ApplicationEventPublisher events, Timestamps time) {
        this.federations = federations;
        this.models = models;
        this.runtime = runtime;
        this.audit = audit;
        this.events = events;
        this.time = time;
    }

    @Transactional
    public Federation create(FederationConfig config, String actor) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = time.now();
        federations.insert(id, config, now);
        if (!config.architecture().equals(FederationConfig.CUSTOM)) {
            Tensors initial = Architectures.create(config.architecture(), config.modelParams())
                    .initialize(config.modelSeed());
            byte[] blob = Safetensors.write(initial, ModelVersion.METADATA);
            byte[] state = StateCodec.encode(config.rounds().protocol().strategy().initialState(initial));
            models.insert(new ModelVersion(UUID.randomUUID(), id, 0, ContentHash.of(blob), blob, state, null, now));
        }
        audit.record(actor, "federation.create", id.toString(), Map.of("name", config.name()));
        return federations.find(id).orElseThrow();
    }

    /** Replaces (or sets) the initial model with uploaded safetensors; only before the federation starts. */
    @Transactional
    public String uploadInitialModel(UUID id, byte[] body, String actor) {
        Federation federation = require(id);
        if (federation.state() != FederationState.CREATED) {
            throw new HansaProblem(HttpStatus.CONFLICT, "federation-started",
                    "the initial model can only be replaced before the federation starts (state " + federation.state() + ")");
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
        byte[] blob = Safetensors.write(weights, ModelVersion.METADATA);
        String hash = ContentHash.of(blob);
        byte[] state = StateCodec.encode(federation.config().rounds().protocol().strategy().initialState(weights));
        if (models.byVersion(id, 0).isPresent()) {
            models.replaceInitial(id, hash, blob, state, time.now());
        } else {
            models.insert(new ModelVersion(UUID.randomUUID(), id, 0, hash, blob, state, null, time.now()));
        }
        runtime.invalidate(id);
        audit.record(actor, "federation.model.upload", id.toString(), Map.of("hash", hash, "bytes", blob.length));
        return hash;
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

    @Transactional
    public Federation start(UUID id, String actor) {
        Federation federation = require(id);
        if (models.byVersion(id, 0).isEmpty()) {
            throw new HansaProblem(HttpStatus.CONFLICT, "no-model", "upload the initial model before starting");
        }
        transition(federation, FederationState.RUNNING, "started");
        audit.record(actor, "federation.start", id.toString(), Map.of());
        events.publishEvent(new FederationEvent.Started(id));
        return require(id);
    }

    /** Stops a running federation; its open round is cancelled in the same transaction (see {@link FederationEvent}). */
    @Transactional
    public Federation stop(UUID id, String actor) {
        transition(require(id), FederationState.STOPPED, "stopped");
        audit.record(actor, "federation.stop", id.toString(), Map.of());
        events.publishEvent(new FederationEvent.Stopped(id, actor));
        return require(id);
    }

    private void transition(Federation federation, FederationState to, String verb) {
        if (!federation.state().next().contains(to) || !federations.transition(federation.id(), to, null, time.now())) {
            throw new HansaProblem(HttpStatus.CONFLICT, "invalid-transition",
                    "a " + federation.state() + " federation cannot be " + verb);
        }
    }

    public List<Federation> all() {
        return federations.all();
    }

    public Federation require(UUID id) {
        return federations.find(id).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + id));
    }
}
