package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server half of the error-feedback rules whose clients send corrections to an estimate rather than updates (EF21,
 * EControl; {@code update.errorFeedbackRule}): per role, the server keeps the estimate {@code h}, the running sum of
 * the round means of the messages, {@code h <- h + mean_i c_i}, and hands the wrapped strategy an aggregate whose mean
 * is h, so the strategy steps with the estimate exactly as it would with a plain mean update. With partial
 * participation the mean runs over the round's participants (EF21-PP divides the sum by all n clients instead). The
 * estimates are part of the strategy state ({@value #PREFIX}{@code <role>}), so they persist with each model version;
 * a role without updates in a round keeps its estimate and the wrapped strategy sees no update for it.
 */
public final class EstimateAccumulation implements Strategy {

    static final String PREFIX = "feedbackEstimate.";

    private final Strategy inner;

    public EstimateAccumulation(Strategy inner) {
        if (!inner.acceptsRobustAggregation()) {
            throw new IllegalArgumentException("update.errorFeedbackRule ef21 and econtrol step with an estimate of"
                    + " the mean update; " + inner.name() + " needs the exact sum of the updates");
        }
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public State initialState(Tensors model) {
        return inner.initialState(model);
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state) {
        return inner.planRound(round, participants, model, innerState(state));
    }

    @Override
    public UpdateWeighting weighting() {
        return inner.weighting();
    }

    @Override
    public boolean acceptsRobustAggregation() {
        return true;
    }

    @Override
    public RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate) {
        State estimates = state.part(PREFIX);
        Map<String, GroupAggregate> adjusted = new HashMap<>();
        Map<String, Tensors> next = new HashMap<>(estimates.tensors());
        aggregate.byRole().forEach((role, group) -> {
            double[] mean = group.mean();
            float[] h = estimates.tensor(role).isPresent() ? estimates.require(role, model.spec())
                    : new float[mean.length];
            float[] updated = new float[mean.length];
            double[] sum = new double[mean.length];
            for (int i = 0; i < mean.length; i++) {
                updated[i] = (float) (h[i] + mean[i]);
                sum[i] = updated[i] * group.totalWeight();
            }
            next.put(role, new Tensors(model.spec(), updated));
            adjusted.put(role, new GroupAggregate(sum, group.totalWeight(), group.count(), group.totalSamples(),
                    group.metricMeans()));
        });
        RoundResult result = inner.finishRound(round, model, innerState(state), new RoundAggregate(adjusted));
        return new RoundResult(result.model(), result.state().plus(new State(next, Map.of()).withPrefix(PREFIX)),
                result.metrics());
    }

    /** The wrapped strategy's own entries. */
    private static State innerState(State state) {
        Map<String, Tensors> tensors = new HashMap<>(state.tensors());
        tensors.keySet().removeIf(k -> k.startsWith(PREFIX));
        return new State(tensors, state.scalars());
    }
}
