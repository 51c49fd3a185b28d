package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.model.ModelWeights;
import java.util.Map;

/**
 * What local training produced.
 *
 * @param upload     the tensors to send (a model delta x_local - x_global for most strategies)
 * @param numSamples samples the update represents
 * @param metrics    scalar metrics to report, e.g. {@code train_loss}
 * @param state      the client's state to keep for its next participation
 */
public record LocalResult(ModelWeights upload, long numSamples, Map<String, Double> metrics, StrategyState state) {

    public LocalResult {
        metrics = Map.copyOf(metrics);
    }
}
