package dev.hansa.aggregation.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.RowStore;
import dev.hansa.aggregation.aggregate.WeightedMean;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.sampling.ClientSampler;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A federation's round, written once for every driver: the server's orchestrator (around PostgreSQL and HTTP), the
 * in-process {@link LocalFederation} of the simulation and the tests. Opening samples the participants with the
 * federation's sampler and the round's seed and lets the strategy plan them, stamping each plan with the
 * federation's update preparation; the aggregation pipeline takes the updates; closing applies the strategy's
 * server update and refuses a result that is not finite.
 */
public final class RoundProtocol {

    private final Strategy strategy;
    private final ClientSampler sampler;
    private final UpdateSpec update;
    private final AggregationPipeline aggregation;

    /**
     * @throws IllegalArgumentException naming the field when the robustness settings do not suit the strategy
     */
    public RoundProtocol(Strategy strategy, ClientSampler sampler, UpdateSpec update, AggregationPipeline.Settings robustness) {
        boolean plainMean = robustness.aggregator() instanceof WeightedMean && robustness.preAggregators().isEmpty();
        if (!plainMean && !strategy.acceptsRobustAggregation()) {
            throw new IllegalArgumentException("robustness.aggregator: strategy " + strategy.name() + " needs the exact "
                    + "sum of its participants' updates, so only the plain mean without pre-aggregators applies");
        }
        this.strategy = strategy;
        this.sampler = sampler;
        this.update = update;
        this.aggregation = new AggregationPipeline(robustness, strategy.weighting());
    }

    public Strategy strategy() {
        return strategy;
    }

    public UpdateSpec update() {
        return update;
    }

    public AggregationPipeline aggregation() {
        return aggregation;
    }

    /** An opened round: its facts, its participants (in candidate order) and their plans. */
    public record Opened(RoundContext context, List<String> participants, RoundPlan plan) {
        public Opened {
            participants = List.copyOf(participants);
        }
    }

    /**
     * Samples and plans attempt {@code attempt} of round {@code number} (1-based).
     *
     * @param candidates   the clients that may take part (live ones, in a deterministic order)
     * @param totalClients the clients enrolled in the federation
     */
    public Opened open(long federationSeed, int number, int attempt, List<String> candidates, int totalClients,
                       Tensors model, State state) {
        long seed = Seeds.forRound(federationSeed, number, attempt);
        List<String> participants = sampler.sample(candidates, seed);
        RoundContext context = new RoundContext(number, totalClients, participants.size(), seed);
        RoundPlan planned = strategy.planRound(context, participants, model, state);
        Map<String, TrainingPlan> plans = new LinkedHashMap<>();
        for (String id : participants) {
            plans.put(id, planned.plans().get(id).withUpdate(update));
        }
        return new Opened(context, participants, new RoundPlan(plans, planned.broadcast()));
    }

    /** An empty aggregation for the round (a whole-round pipeline keeps its updates on the heap). */
    public RoundAggregation startAggregation(RoundContext context, ModelSpec spec) {
        return aggregation.start(spec, context.seed());
    }

    /** An empty aggregation for the round whose whole-round rows are kept in {@code rows}. */
    public RoundAggregation startAggregation(RoundContext context, ModelSpec spec, RowStore rows) {
        return aggregation.start(spec, context.seed(), rows);
    }

    /** How a round ended. */
    public sealed interface Outcome {
        /** The next model version and server state. */
        record Closed(RoundResult result) implements Outcome {
        }

        /** No new model version; {@code reason} says why. */
        record Failed(String reason) implements Outcome {
        }
    }

    /** Applies the strategy's server update to the round's aggregate, or says why the round fails instead. */
    public Outcome finish(RoundContext context, Tensors model, State state, RoundAggregation updates) {
        RoundAggregate aggregate;
        try {
            aggregate = updates.result();
        } catch (IllegalStateException e) {
            return new Outcome.Failed(e.getMessage());
        }
        RoundResult result = strategy.finishRound(context, model, state, aggregate);
        int bad = result.model().firstNonFinite();
        if (bad >= 0) {
            return new Outcome.Failed("the aggregated model is not finite (tensor '" + result.model().tensorAt(bad)
                    + "' at flat index " + bad + "); the previous model version stays current");
        }
        for (var e : result.state().tensors().entrySet()) {
            int i = e.getValue().firstNonFinite();
            if (i >= 0) {
                return new Outcome.Failed("the strategy state '" + e.getKey() + "' is not finite at flat index " + i
                        + "; the previous model version stays current");
            }
        }
        return new Outcome.Closed(result);
    }
}
