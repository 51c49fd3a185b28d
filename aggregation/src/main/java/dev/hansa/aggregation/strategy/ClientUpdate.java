package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.model.ModelWeights;
import java.util.Map;

/**
 * One participant's validated upload for a round, as the server folds it.
 *
 * @param clientId   the participant
 * @param role       the role it was assigned (see {@link TrainingPlan#role()})
 * @param tensors    the uploaded tensors, in the model's spec (a model delta for most strategies)
 * @param numSamples local sample count, the FedAvg weight
 * @param metrics    scalar training metrics the client reported (e.g. {@code train_loss})
 */
public record ClientUpdate(String clientId, String role, ModelWeights tensors, long numSamples,
                           Map<String, Double> metrics) {

    public ClientUpdate {
        if (numSamples < 1) {
            throw new IllegalArgumentException("numSamples must be >= 1: " + numSamples);
        }
        metrics = Map.copyOf(metrics);
    }
}
