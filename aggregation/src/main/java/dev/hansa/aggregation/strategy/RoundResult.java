package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.model.ModelWeights;
import java.util.Map;

/** The outcome of closing a round: the next model, the next server state and round metrics. */
public record RoundResult(ModelWeights model, StrategyState state, Map<String, Double> metrics) {

    public RoundResult {
        metrics = Map.copyOf(metrics);
    }
}
