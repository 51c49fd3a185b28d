package dev.hansa.client;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;
import java.util.Optional;

/**
 * What an app implements to take part in a federation with its own training code (any JVM framework): train from
 * the global model as the server's {@link TrainingPlan} says and return the tensors to upload. The built-in
 * {@link BuiltInTrainer} implements it with Hansa's models and strategies.
 */
public interface LocalTrainer {

    /**
     * Trains locally.
     *
     * @param global    the round's global model
     * @param plan      the server's instructions (strategy, role, steps, learning rate, seed, hyperparameters)
     * @param broadcast the round's extra tensors, if the strategy sends any
     * @param state     this client's strategy state from its previous round ({@link State#EMPTY} at first)
     * @return the upload (for most strategies the delta {@code x_local - x_global}), sample count, metrics and state
     */
    LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state);

    /** Metrics of {@code global} on local held-out data, reported to the server; empty when there is none. */
    default Map<String, Double> evaluate(Tensors global) {
        return Map.of();
    }

    /** Local training samples, reported at enrollment. */
    long numSamples();
}
