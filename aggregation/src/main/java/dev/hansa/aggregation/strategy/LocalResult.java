package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;

/**
 * What local training produced, before the update pipeline (clip, codec) prepares it for the wire.
 *
 * @param update     the update's tensors (a model delta x_local - x_global for most strategies)
 * @param numSamples samples the update represents
 * @param metrics    scalar metrics to report, e.g. {@code train_loss}
 * @param state      the client's state to keep for its next participation
 */
public record LocalResult(Tensors update, long numSamples, Map<String, Double> metrics, State state) {

    public LocalResult {
        metrics = Map.copyOf(metrics);
    }
}
