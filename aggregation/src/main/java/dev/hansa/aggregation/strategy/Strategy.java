package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.FetchSgdCodec;
import java.util.List;

/**
 * The server half of a federated algorithm. Strategies decide; the orchestrator does the I/O: they never wait,
 * never touch the network or the database, and keep no hidden state between calls: everything that must survive
 * a round lives in {@link State}, which the server persists with each model version.
 *
 * <p>Its client half is the {@link ClientOptimizer} of the same {@link #name()}. Between the two, the update
 * pipeline (codec, validation, aggregation) turns the participants' updates into the {@link RoundAggregate} that
 * {@link #finishRound} receives.
 */
public interface Strategy {

    /** Registry name, e.g. {@code fedavg}; recorded with every round. */
    String name();

    /** Server state for a new federation whose initial model is {@code model} (empty for plain FedAvg). */
    State initialState(Tensors model);

    /** Instructions for the round's sampled participants (ids in a deterministic order). */
    RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state);

    /** How the round's mean weights each participant's update. */
    UpdateWeighting weighting();

    /**
     * Whether a robust aggregator may stand in for the plain mean of each role's updates: true when the server
     * update uses those means only; false when it needs the exact sum of what every client sent (FedAMD's anchor
     * gradients, whose running sum must match what the clients hold).
     */
    boolean acceptsRobustAggregation();

    /**
     * This strategy for rounds whose updates travel as {@code update} says. The default takes any codec whose
     * decoded updates are in the model's coordinates and returns itself; FetchSGD binds the sketch its codec's
     * tables are in.
     *
     * @throws IllegalArgumentException naming {@code update.codec} when the strategy cannot run with it
     */
    default Strategy forUpdate(UpdateSpec update) {
        if (update.codec().equals(FetchSgdCodec.NAME)) {
            throw new IllegalArgumentException("update.codec: fetchsgd sends count sketch tables, which only strategy "
                    + "fetchsgd merges and unsketches; strategy " + name()
                    + " needs updates in the model's coordinates");
        }
        return this;
    }

    /** Applies the round's aggregate: the server update producing the next model and state. */
    RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate);
}
