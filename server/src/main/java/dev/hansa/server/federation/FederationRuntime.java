package dev.hansa.server.federation;

import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.model.ModelVersion;
import dev.hansa.server.privacy.TreeLedger;
import dev.hansa.server.system.HansaProblem;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What a federation's rounds need that does not change while it runs, derived once from stored data and cached:
 * its config, the configured {@link RoundProtocol} (strategy, sampler, update pipeline, aggregation), the model spec
 * (from the initial model version, so uploaded custom models work the same as built-in ones); and the decoded model
 * version its current round starts from, so a round decodes its input model once, not at open and again at close.
 */
@Component
public class FederationRuntime {

    /**
     * A federation's fixed facts.
     *
     * @param pipeline what each round records about its update path (codec, clip, robustness, sampler)
     */
    public record Context(UUID federationId, FederationConfig config, RoundProtocol protocol,
                          Map<String, Object> effectiveStrategyParams, Map<String, Object> pipeline, ModelSpec spec) {
    }

    /**
     * A model version decoded: its tensors and the strategy's server state after it (not its stored bytes, which
     * would double what the cache holds per federation).
     */
    public record DecodedModel(UUID versionId, int version, Tensors tensors, State state) {
    }

    private final FederationRepository federations;
    private final ModelRepository models;
    private final TreeLedger trees;
    private final Map<UUID, Context> contexts = new ConcurrentHashMap<>();
    private final Map<UUID, DecodedModel> decoded = new ConcurrentHashMap<>();

    FederationRuntime(FederationRepository federations, ModelRepository models, TreeLedger trees) {
        this.federations = federations;
        this.models = models;
        this.trees = trees;
    }

    public Context context(UUID federationId) {
        Context cached = contexts.get(federationId);
        if (cached != null) {
            return cached;
        }
        Federation federation = federations.find(federationId).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + federationId));
        ModelVersion initial = models.byVersion(federationId, 0).orElseThrow(() -> new HansaProblem(HttpStatus.CONFLICT,
                "no-model", "federation " + federationId + " has no initial model; upload one first"));
        FederationConfig config = federation.config();
        RoundConfig.Configured rounds = config.rounds();
        // DP-FTRL derives its tree noise from the federation's secret; the cached protocol keeps the tree's nodes.
        RoundProtocol protocol = rounds.protocol().tree().isPresent()
                ? rounds.protocol().withTreeSecret(trees.secret(federationId)) : rounds.protocol();
        Context context = new Context(federationId, config, protocol, rounds.effectiveStrategyParams(),
                rounds.pipeline(), Safetensors.read(initial.blob()).tensors().spec());
        if (federation.state() != FederationState.CREATED) {
            contexts.put(federationId, context);
        }
        return context;
    }

    /** Model version {@code id} of the federation, decoded (from the cache when it is the last one decoded). */
    public DecodedModel model(Context context, UUID versionId) {
        DecodedModel last = decoded.get(context.federationId());
        if (last != null && last.versionId().equals(versionId)) {
            return last;
        }
        ModelVersion version = models.byId(versionId).orElseThrow();
        DecodedModel model = new DecodedModel(version.id(), version.version(),
                Safetensors.read(version.blob(), context.spec()).tensors(), StateCodec.decode(version.strategyState()));
        decoded.put(context.federationId(), model);
        return model;
    }

    /** Remembers a model version the server just produced, so the next round does not decode it again. */
    public void remember(UUID federationId, DecodedModel model) {
        decoded.put(federationId, model);
    }

    /** Forgets derived objects (the initial model was replaced). */
    void invalidate(UUID federationId) {
        contexts.remove(federationId);
        decoded.remove(federationId);
    }
}
