package dev.hansa.server.federation;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.model.Safetensors;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.system.HansaProblem;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Per-federation objects derived from stored data, cached: the strategy (immutable) and the model spec (from the
 * initial model version, so uploaded custom models work the same as built-in ones).
 */
@Component
public class FederationRuntime {

    /** What ingestion and orchestration need about a federation. */
    public record Context(Federation federation, Strategy strategy, ModelSpec spec) {
    }

    private final FederationRepository federations;
    private final ModelRepository models;
    private final Map<UUID, Context> cache = new ConcurrentHashMap<>();

    FederationRuntime(FederationRepository federations, ModelRepository models) {
        this.federations = federations;
        this.models = models;
    }

    public Context context(UUID federationId) {
        Context cached = cache.get(federationId);
        if (cached != null) {
            // The status changes over time; everything else is fixed once the federation runs.
            Federation fresh = federations.find(federationId).orElseThrow();
            return new Context(fresh, cached.strategy(), cached.spec());
        }
        Federation federation = federations.find(federationId).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-federation", "no federation " + federationId));
        var initial = models.byVersion(federationId, 0).orElseThrow(() -> new HansaProblem(HttpStatus.CONFLICT,
                "no-model", "federation " + federationId + " has no initial model; upload one first"));
        Context context = new Context(federation, federation.config().strategy(),
                Safetensors.read(initial.blob()).weights().spec());
        if (!Federation.CREATED.equals(federation.status())) {
            cache.put(federationId, context);
        }
        return context;
    }

    /** Forgets derived objects (the initial model was replaced). */
    void invalidate(UUID federationId) {
        cache.remove(federationId);
    }
}
