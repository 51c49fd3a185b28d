package dev.hansa.aggregation.strategy.fedavg;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.CheckedClientOptimizer;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.fedopt.ServerOptimizer;
import dev.hansa.aggregation.strategy.fedopt.ServerSgd;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FedAvg (McMahan et al., AISTATS 2017) in the FedOpt form of Reddi et al. (ICLR 2021): every participant runs a
 * local optimizer ({@link LocalSgd}, or DiLoCo's AdamW) from x_t; the round's mean update {@code D} (sample-weighted
 * {@code sum n_i Delta_i / sum n_i}, or the plain mean, when configured) goes to a {@link ServerOptimizer}. With
 * {@link ServerSgd} this is FedAvg, {@code x_{t+1} = x_t + eta_g D}; with {@code FedAvgM} or an
 * {@code AdaptiveServerOptimizer} it is FedAvgM, FedAdam, FedYogi or FedAdagrad, with a proximal {@link LocalSgd} it
 * is FedProx, and with local AdamW and Nesterov server momentum it is DiLoCo. The optimizer's state (moments) is this
 * strategy's state.
 */
public final class FedAvg implements Strategy {

    /** The one role FedAvg's participants have. */
    public static final String TRAIN = "train";

    private final CheckedClientOptimizer local;
    private final TrainingConfig training;
    private final Map<String, Double> clientParams;
    private final ServerOptimizer optimizer;
    private final UpdateWeighting weighting;

    /**
     * @param local        the client half; its name is this strategy's name
     * @param training     the federation's training config, stamped into every plan
     * @param clientParams strategy hyperparameters the client needs (e.g. FedProx's {@code mu}), added to the plans
     * @param optimizer    the server step
     * @param weighting    {@code SAMPLES}: D weights client i by n_i (McMahan); {@code UNIFORM}: plain mean over the
     *                     round's updates (FL-Simulator, whose partitions are balanced)
     * @throws IllegalArgumentException when the plans would carry an option the client optimizer rejects
     */
    public FedAvg(CheckedClientOptimizer local, TrainingConfig training, Map<String, Double> clientParams, ServerOptimizer optimizer,
                  UpdateWeighting weighting) {
        this.local = local;
        this.training = training;
        this.clientParams = Map.copyOf(clientParams);
        this.optimizer = optimizer;
        this.weighting = weighting;
        local.check(training.paramsWith(local.name(), clientParams));
    }

    /** Plain FedAvg, sample-weighted, with server learning rate {@code eta_g}. */
    public static FedAvg plain(TrainingConfig training, double serverLearningRate) {
        return new FedAvg(LocalSgd.plain("fedavg"), training, Map.of(), new ServerSgd(serverLearningRate),
                UpdateWeighting.SAMPLES);
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public State initialState(Tensors model) {
        return optimizer.initialState(model);
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state) {
        return new RoundPlan(training.plans(participants, name(), TRAIN, training.learningRate(), round.seed(),
                clientParams), Optional.empty());
    }

    @Override
    public UpdateWeighting weighting() {
        return weighting;
    }

    @Override
    public boolean acceptsRobustAggregation() {
        return true;
    }

    @Override
    public RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate) {
        Optional<GroupAggregate> trained = aggregate.role(TRAIN);
        if (trained.isEmpty()) {
            return new RoundResult(model, state, Map.of("clients", 0.0));
        }
        double[] delta = trained.get().mean();
        ServerOptimizer.Step step = optimizer.step(model, delta, state);
        return new RoundResult(step.model(), step.state(), trained.get().metrics(delta));
    }
}
