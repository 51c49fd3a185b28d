package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.RoundAggregator;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.StrategyState;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FedAvg (McMahan et al., AISTATS 2017) in the FedOpt form of Reddi et al. (ICLR 2021): every participant runs
 * {@link LocalSgd} from x_t; the server folds the sample-weighted mean {@code D = sum n_i Delta_i / sum n_i} (or the
 * plain mean, when configured) and hands
 * it to a {@link ServerOptimizer}. With {@link ServerSgd} this is FedAvg, {@code x_{t+1} = x_t + eta_g D}; with
 * {@link FedAvgM}, {@link FedAdam}, {@link FedYogi} or {@link FedAdagrad} it is that method, and with a proximal
 * {@link LocalSgd} it is FedProx. The optimizer's state (moments) is this strategy's state.
 */
public final class FedAvg implements Strategy {

    private final LocalSgd local;
    private final TrainingConfig training;
    private final Map<String, Double> clientParams;
    private final ServerOptimizer optimizer;
    private final boolean weightedBySamples;

    /** As {@link #FedAvg(LocalSgd, TrainingConfig, Map, ServerOptimizer, boolean)}, weighted by sample count. */
    public FedAvg(LocalSgd local, TrainingConfig training, Map<String, Double> clientParams, ServerOptimizer optimizer) {
        this(local, training, clientParams, optimizer, true);
    }

    /**
     * @param local        the client half; its name is this strategy's name
     * @param training     the federation's training config, stamped into every plan
     * @param clientParams strategy hyperparameters the client needs (e.g. FedProx's {@code mu}), added to the plans
     * @param optimizer    the server step
     * @param weightedBySamples {@code true}: D weights client i by n_i (McMahan); {@code false}: plain mean over the
     *                     round's updates (FL-Simulator, whose partitions are balanced)
     * @throws IllegalArgumentException when the plans would carry an option the client procedure rejects
     */
    public FedAvg(LocalSgd local, TrainingConfig training, Map<String, Double> clientParams, ServerOptimizer optimizer,
                  boolean weightedBySamples) {
        this.weightedBySamples = weightedBySamples;
        this.local = local;
        this.training = training;
        this.clientParams = Map.copyOf(clientParams);
        this.optimizer = optimizer;
        Map<String, Double> merged = new HashMap<>(training.params());
        merged.putAll(clientParams);
        local.options(merged);
    }

    /** Plain FedAvg with server learning rate {@code eta_g}. */
    public static FedAvg plain(TrainingConfig training, double serverLearningRate) {
        return new FedAvg(LocalSgd.plain("fedavg"), training, Map.of(), new ServerSgd(serverLearningRate));
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public StrategyState initialState(ModelWeights model) {
        return optimizer.initialState(model);
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, ModelWeights model, StrategyState state) {
        Map<String, TrainingPlan> plans = new LinkedHashMap<>();
        for (String id : participants) {
            plans.put(id, training.plan(name(), "train", training.learningRate(), Seeds.forClient(round.seed(), id),
                    clientParams));
        }
        return new RoundPlan(plans, Optional.empty());
    }

    @Override
    public RoundAggregator newAggregator(RoundContext round, ModelSpec spec) {
        return new WeightedMeanAggregator(spec, weightedBySamples);
    }

    @Override
    public RoundResult finishRound(RoundContext round, ModelWeights model, StrategyState state, RoundAggregator aggregate) {
        WeightedMeanAggregator mean = WeightedMeanAggregator.of(aggregate);
        if (mean.count() == 0) {
            return new RoundResult(model, state, Map.of("clients", 0.0));
        }
        double[] delta = mean.mean();
        ServerOptimizer.Step step = optimizer.step(model, delta, state);
        return new RoundResult(step.model(), step.state(), RoundMetrics.of(mean, delta));
    }
}
