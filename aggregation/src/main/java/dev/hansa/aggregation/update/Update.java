package dev.hansa.aggregation.update;

import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;

/**
 * One participant's update for a round, decoded: what the server validates and aggregates.
 *
 * @param clientId   the participant
 * @param role       the role it was assigned (see {@code TrainingPlan#role()})
 * @param values     the update's tensors in the model's spec (a model delta for most strategies)
 * @param numSamples local sample count, the FedAvg weight
 * @param metrics    scalar training metrics the client reported (e.g. {@code train_loss})
 */
public record Update(String clientId, String role, Tensors values, long numSamples, Map<String, Double> metrics) {

    public Update {
        if (numSamples < 1) {
            throw new IllegalArgumentException("numSamples must be >= 1: " + numSamples);
        }
        metrics = Map.copyOf(metrics);
    }
}
