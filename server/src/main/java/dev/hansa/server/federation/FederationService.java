package dev.hansa.server.federation;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.model.Safetensors;
import dev.hansa.aggregation.strategy.StrategyStateCodec;
import dev.hansa.client.model.ModelArchitectures;
import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.model.ModelVersion;
import dev.hansa.server.round.RoundSignals;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.InvalidField;
import dev.hansa.server.system.Secrets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    private final RoundSignals signals;
    private final Clock clock;

    FederationService(FederationRepository federations, ModelRepository models, FederationRuntime runtime,
                      AuditLog audit, RoundSignals signals, Clock clock) {
        this.federations = federations;
        this.models = models;
        this.runtime = runtime;
        this.audit = audit;
        this.signals = signals;
        this.clock = clock;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    }

    @Transactional
    public Federation create(FederationConfig config, String actor) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = now();
        federations.insert(id, config, now);
        if (!config.architecture().equals(FederationConfig.CUSTOM)) {
            ModelWeights initial = ModelArchitectures.create(config.architecture(), config.modelParams())
                    .initialize(config.modelSeed());
            byte[] blob = Safetensors.write(initial, Map.of("format", "pt"));
            byte[] state = StrategyStateCodec.encode(config.strategy().initialState(initial));
            models.insert(new ModelVersion(UUID.randomUUID(), id, 0, Secrets.sha256Hex(blob), blob, state, null, now));
        }
        audit.record(actor, "federation.create", id.toString(), Map.of("name", config.name()));
        return federations.find(id).orElseThrow();
    }

    /** Replaces (or sets) the initial model with uploaded safetensors; only before the federation starts. */
    @Transactional
    public String uploadInitialModel(UUID id, byte[] body, String actor) {
        Federation federation = require(id);
        if (!Federation.CREATED.equals(federation.status())) {
            throw new HansaProblem(HttpStatus.CONFLICT, "federation-started",
                    "the initial model can only be replaced before the federation starts (status " + federation.status() + ")");
        }
        ModelWeights weights = Safetensors.read(body).weights();
        int bad = weights.firstNonFinite();
        if (bad >= 0) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "non-finite-model",
                    "tensor '" + weights.tensorAt(bad) + "' holds a NaN or infinity at flat index " + bad);
        }
        if (!federation.config().architecture().equals(FederationConfig.CUSTOM)) {
            var expected = ModelArchitectures.create(federation.config().architecture(), federation.config().modelParams()).spec();
            weights = Safetensors.read(body, expected).weights();
        }
        byte[] blob = Safetensors.write(weights, Map.of("format", "pt"));
        String hash = Secrets.sha256Hex(blob);
        byte[] state = StrategyStateCodec.encode(federation.config().strategy().initialState(weights));
        if (models.byVersion(id, 0).isPresent()) {
            models.replaceInitial(id, hash, blob, state, now());
        } else {
            models.insert(new ModelVersion(UUID.randomUUID(), id, 0, hash, blob, state, null, now()));
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
            throw new HansaProblem(HttpStatus.CONFLICT, "federation-over", "federation is " + federation.status());
        }
        if (count < 1 || count > MAX_TOKENS_PER_REQUEST) {
            throw new InvalidField("count", "must be in [1, " + MAX_TOKENS_PER_REQUEST + "]: " + count);
        }
        if (ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
            throw new InvalidField("ttlSeconds", "must be in [1, " + MAX_TOKEN_TTL_SECONDS + "]: " + ttlSeconds);
        }
        List<IssuedToken> tokens = new ArrayList<>(count);
        OffsetDateTime now = now();
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
        OffsetDateTime now = now();
        return federations.enrollmentTokens(id).stream().map(t -> t.view(now)).toList();
    }

    /**
     * Revokes an unused enrollment token: it no longer admits anyone. A used token cannot be revoked (revoke the
     * client it admitted instead); revoking a revoked token changes nothing.
     */
    @Transactional
    public Map<String, Object> revokeEnrollmentToken(UUID id, UUID tokenId, String actor) {
        require(id);
        OffsetDateTime now = now();
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
        if (!Federation.CREATED.equals(federation.status()) && !Federation.STOPPED.equals(federation.status())) {
            throw new HansaProblem(HttpStatus.CONFLICT, "invalid-transition",
                    "a " + federation.status() + " federation cannot be started");
        }
        if (models.byVersion(id, 0).isEmpty()) {
            throw new HansaProblem(HttpStatus.CONFLICT, "no-model", "upload the initial model before starting");
        }
        federations.setStatus(id, Federation.RUNNING, null, now());
        audit.record(actor, "federation.start", id.toString(), Map.of());
        signals.afterCommit(id);
        return require(id);
    }

    @Transactional
    public Federation stop(UUID id, String actor) {
        Federation federation = require(id);
        if (!Federation.RUNNING.equals(federation.status())) {
            throw new HansaProblem(HttpStatus.CONFLICT, "invalid-transition",
                    "a " + federation.status() + " federation cannot be stopped");
        }
        federations.setStatus(id, Federation.STOPPED, null, now());
        audit.record(actor, "federation.stop", id.toString(), Map.of());
        signals.afterCommit(id);
        return require(id);
    }

    public List<Federation> all() {
        return federations.all();
    }

    public Federation require(UUID id) {
        return federations.find(id).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + id));
    }
}
