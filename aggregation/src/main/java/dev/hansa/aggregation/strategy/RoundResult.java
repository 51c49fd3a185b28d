package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;

/** The outcome of closing a round: the next model, the next server state and round metrics. */
public record RoundResult(Tensors model, State state, Map<String, Double> metrics) {

    public RoundResult {
        metrics = Map.copyOf(metrics);
    }
}
