package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.model.ModelWeights;
import java.util.Map;
import java.util.Optional;

/**
 * Named state that must survive between rounds, on the server (optimizer moments, running sums) or on a client
 * (FedSpeed's correction variable). Immutable; persisted by whoever holds it with {@link StrategyStateCodec}.
 *
 * @param tensors per-parameter state vectors by name, each in the model's spec
 * @param scalars scalar state by name (e.g. the decayed learning rate)
 */
public record StrategyState(Map<String, ModelWeights> tensors, Map<String, Double> scalars) {

    public static final StrategyState EMPTY = new StrategyState(Map.of(), Map.of());

    public StrategyState {
        tensors = Map.copyOf(tensors);
        scalars = Map.copyOf(scalars);
    }

    public Optional<ModelWeights> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public double scalar(String name, double fallback) {
        return scalars.getOrDefault(name, fallback);
    }
}
