package dev.hansa.aggregation.strategy.fedspeed;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.fedavg.FedAvg;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FedSpeed's server (Sun et al., ICLR 2023) in the form of the official FL-Simulator code ({@code server/FedSpeed.py}):
 * <pre>
 *   H     = H + sum_{i in S_t} Delta_i                 (H = sum over all clients of h_j, state tensor {@value #SUM_H})
 *   x_t+1 = mean_{i in S_t} (x_t + Delta_i) + H / N    (unweighted mean; N = enrolled clients)
 * </pre>
 * The code keeps an N x d table of h_j and averages it; since h_j changes only when client j reports, the running
 * sum H gives the same average with O(d) memory, while each client keeps its own h_i ({@link FedSpeedClient}).
 * The local learning rate of round t (1-based) is {@code lr * lrDecay^(t-1)}, as the code's per-round decay.
 */
public final class FedSpeed implements Strategy {

    public static final String SUM_H = "sum_h";

    private final TrainingConfig training;
    private final double lrDecay;
    private final Map<String, Double> clientParams;

    /**
     * @param training the training config; weightDecay and gradientClipNorm default to the code's 1e-3 and 10
     * @param beta     the correction ("proxy") coefficient lambda >= 0, 0.1 in the code
     * @param rho      the SAM perturbation radius >= 0, 0.1 in the code
     * @param lrDecay  per-round factor on the local learning rate in (0, 1], 0.998 in the code
     */
    public FedSpeed(TrainingConfig training, double beta, double rho, double lrDecay) {
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("fedspeed: lrDecay must be in (0, 1], got " + lrDecay);
        }
        Map<String, Double> params = new HashMap<>();
        params.put(TrainingConfig.WEIGHT_DECAY, FedSpeedClient.DEFAULT_WEIGHT_DECAY);
        params.put(TrainingConfig.GRADIENT_CLIP_NORM, FedSpeedClient.DEFAULT_GRADIENT_CLIP_NORM);
        params.putAll(training.paramsWith(FedSpeedClient.NAME,
                Map.of(FedSpeedClient.BETA, beta, FedSpeedClient.RHO, rho)));
        FedSpeedClient.options(params);
        this.training = training;
        this.lrDecay = lrDecay;
        this.clientParams = Map.copyOf(params);
    }

    @Override
    public String name() {
        return FedSpeedClient.NAME;
    }

    @Override
    public State initialState(Tensors model) {
        return new State(Map.of(SUM_H, Tensors.filled(model.spec(), 0f)), Map.of());
    }

    /** The local learning rate of round {@code round} (1-based). */
    public double learningRate(long round) {
        return training.learningRate() * Math.pow(lrDecay, round - 1);
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state) {
        return new RoundPlan(training.plans(participants, name(), FedAvg.TRAIN, learningRate(round.round()),
                round.seed(), clientParams), Optional.empty());
    }

    @Override
    public UpdateWeighting weighting() {
        return UpdateWeighting.UNIFORM;
    }

    @Override
    public boolean acceptsRobustAggregation() {
        return true;
    }

    @Override
    public RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate) {
        float[] sumH = state.require(SUM_H, model.spec());
        Optional<GroupAggregate> trained = aggregate.role(FedAvg.TRAIN);
        if (trained.isEmpty()) {
            return new RoundResult(model, state, Map.of("clients", 0.0));
        }
        GroupAggregate agg = trained.get();
        if (round.totalClients() < agg.count()) {
            throw new IllegalArgumentException("round.totalClients (" + round.totalClients()
                    + ") is smaller than the number of updates (" + agg.count() + ")");
        }
        double[] mean = agg.mean();
        double[] sum = agg.sum();
        float[] x = model.values();
        float[] nextX = new float[x.length];
        float[] nextH = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            nextH[i] = (float) (sumH[i] + sum[i]);
            nextX[i] = (float) (x[i] + mean[i] + (double) nextH[i] / round.totalClients());
        }
        State next = new State(Map.of(SUM_H, new Tensors(model.spec(), nextH)), state.scalars());
        Map<String, Double> metrics = new HashMap<>(agg.metrics(mean));
        metrics.put("learning_rate", learningRate(round.round()));
        return new RoundResult(new Tensors(model.spec(), nextX), next, metrics);
    }
}
