package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.model.ModelWeights;
import java.util.Optional;

/**
 * The client half of a federated algorithm: local training from the global model under a {@link TrainingPlan}.
 * Pure with respect to its inputs: client state goes in and comes out, the SDK persists it.
 */
public interface LocalProcedure {

    /** Strategy name this procedure belongs to. */
    String name();

    /**
     * Trains {@code model} starting from {@code global}.
     *
     * @param broadcast the round's extra tensors from {@link RoundPlan#broadcast()}, if any
     * @param state     this client's state from its previous participation ({@link StrategyState#EMPTY} at first)
     */
    LocalResult train(GradientModel model, ModelWeights global, TrainingPlan plan, Optional<ModelWeights> broadcast,
                      StrategyState state);
}
