package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.model.ModelWeights;
import java.util.List;

/**
 * The server half of a federated algorithm. Strategies decide; the orchestrator does the I/O: they never wait,
 * never touch the network or the database, and keep no hidden state between calls: everything that must survive
 * a round lives in {@link StrategyState}, which the server persists with each model version.
 *
 * <p>Its client half is the {@link LocalProcedure} of the same {@link #name()}.
 */
public interface Strategy {

    /** Registry name, e.g. {@code fedavg}; recorded with every round. */
    String name();

    /** Server state for a new federation whose initial model is {@code model} (empty for plain FedAvg). */
    StrategyState initialState(ModelWeights model);

    /** Instructions for the round's sampled participants (ids in a deterministic order). */
    RoundPlan planRound(RoundContext round, List<String> participants, ModelWeights model, StrategyState state);

    /** An empty streaming aggregate for the round. */
    RoundAggregator newAggregator(RoundContext round, ModelSpec spec);

    /** Applies the round's aggregate: the server update producing the next model and state. */
    RoundResult finishRound(RoundContext round, ModelWeights model, StrategyState state, RoundAggregator aggregate);
}
