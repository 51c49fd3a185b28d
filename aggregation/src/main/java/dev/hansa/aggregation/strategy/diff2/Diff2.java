package dev.hansa.aggregation.strategy.diff2;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DIFF2 with the gradient-descent subroutine (Murata and Suzuki, "DIFF2: Differential Private Optimization via
 * Gradient Differences for Nonconvex Distributed Learning", ICML 2023), server half; the exact rule and what Hansa
 * chose where the sources are unclear are in docs/algorithms.md. Round r (1-based) is a restart round when
 * {@code (r - 1) mod T == 0}:
 * <pre>
 *   restart:    v_r = mean_i grad f_i(x_{r-1})                               (role gradient)
 *   otherwise:  v_r = v_{r-1} + mean_i [grad f_i(x_{r-1}) - grad f_i(x_{r-2})]  (role difference; broadcast x_{r-2})
 *   x_r = x_{r-1} - eta v_r
 * </pre>
 * Every update weighs 1. In a DP federation each mean is the noised sum over the expected count ({@code
 * CentralPrivacy}), each client's contribution clipped to {@link Diff2Noise}'s clip of the round. The state holds
 * v ({@value #V}), x_{r-1} ({@value #PREVIOUS}, next round's x_{r-2}) and the step length {@code ||x_r - x_{r-1}||}
 * ({@value #STEP}), which sets the next difference round's clip. A round without participants adds nothing to v.
 */
public final class Diff2 implements Strategy {

    public static final String V = "v";
    public static final String PREVIOUS = "previous_model";
    public static final String STEP = "step";

    private final TrainingConfig training;
    private final int restartPeriod;
    private final double learningRate;

    /**
     * @param training      the plans' settings: only {@code batchSize} matters (the chunk a full gradient is
     *                      computed in); optimizer options are refused
     * @param restartPeriod T >= 1: a full-gradient round every T rounds (T = 1: DP-GD)
     * @param learningRate  eta > 0, the server's step on v
     */
    public Diff2(TrainingConfig training, int restartPeriod, double learningRate) {
        if (!training.params().isEmpty()) {
            throw new IllegalArgumentException("training.params: diff2 computes full local gradients and takes no "
                    + "optimizer options, got " + training.params().keySet());
        }
        if (restartPeriod < 1) {
            throw new IllegalArgumentException("strategy.params.restartPeriod must be >= 1, got " + restartPeriod);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("strategy.params.serverLearningRate must be finite and > 0, got "
                    + learningRate);
        }
        this.training = training;
        this.restartPeriod = restartPeriod;
        this.learningRate = learningRate;
    }

    /** Whether round {@code round} (1-based) refreshes v with full gradients. */
    public boolean restart(long round) {
        return (round - 1) % restartPeriod == 0;
    }

    public int restartPeriod() {
        return restartPeriod;
    }

    @Override
    public String name() {
        return Diff2Client.NAME;
    }

    @Override
    public State initialState(Tensors model) {
        return new State(Map.of(V, Tensors.zeros(model.spec()), PREVIOUS, model.copy()), Map.of(STEP, 0.0));
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state) {
        boolean restart = restart(round.round());
        Optional<Tensors> broadcast = restart ? Optional.empty()
                : Optional.of(new Tensors(model.spec(), state.require(PREVIOUS, model.spec())));
        return new RoundPlan(training.plans(participants, name(), restart ? Diff2Client.GRADIENT
                : Diff2Client.DIFFERENCE, training.learningRate(), round.seed(), Map.of()), broadcast);
    }

    @Override
    public UpdateWeighting weighting() {
        return UpdateWeighting.UNIFORM;
    }

    /**
     * False: v accumulates the round means between restarts, so a robust rule's bias in one round would stay in
     * every later step until the next restart.
     */
    @Override
    public boolean acceptsRobustAggregation() {
        return false;
    }

    @Override
    public RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate) {
        boolean restart = restart(round.round());
        Optional<GroupAggregate> group = aggregate.role(restart ? Diff2Client.GRADIENT : Diff2Client.DIFFERENCE);
        float[] x = model.values();
        double[] mean = group.map(GroupAggregate::mean).orElseGet(() -> new double[x.length]);
        float[] v = restart ? new float[x.length] : state.require(V, model.spec());
        float[] nextV = new float[x.length];
        float[] nextX = new float[x.length];
        double step = 0;
        for (int i = 0; i < x.length; i++) {
            nextV[i] = (float) (v[i] + mean[i]);
            nextX[i] = (float) (x[i] - learningRate * nextV[i]);
            double d = (double) nextX[i] - x[i];
            step += d * d;
        }
        step = Math.sqrt(step);
        Map<String, Double> metrics = new HashMap<>(group.map(g -> g.metrics(mean)).orElseGet(Map::of));
        metrics.put("clients", (double) aggregate.count());
        metrics.put("diff2.restart", restart ? 1.0 : 0.0);
        metrics.put("diff2.step", step);
        metrics.put("diff2.v_norm", new Tensors(model.spec(), nextV).l2Norm());
        State next = new State(Map.of(V, new Tensors(model.spec(), nextV), PREVIOUS, model.copy()),
                Map.of(STEP, step));
        return new RoundResult(new Tensors(model.spec(), nextX), next, metrics);
    }
}
