package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Optional;

/**
 * The client half of a federated algorithm (the "ClientOpt" of Reddi et al.'s FedOpt framework, whose server half
 * is the {@link Strategy}): local training from the global model under a {@link TrainingPlan}, on an
 * {@link Objective}. Pure with respect to its inputs: client state goes in and comes out, the SDK persists it.
 */
public interface ClientOptimizer {

    /** The strategy this is the client half of. */
    String name();

    /**
     * Trains on {@code objective} starting from {@code global}.
     *
     * @param broadcast the round's extra tensors from {@link RoundPlan#broadcast()}, if any
     * @param state     this client's state from its previous participation ({@link State#EMPTY} at first)
     */
    LocalResult train(Objective objective, Tensors global, TrainingPlan plan, Optional<Tensors> broadcast,
                      State state);
}
