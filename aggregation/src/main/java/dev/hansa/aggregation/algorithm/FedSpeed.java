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
 * FedSpeed's server (Sun et al., ICLR 2023) in the form of the official FL-Simulator code ({@code server/FedSpeed.py}):
 * <pre>
 *   H     = H + sum_{i in S_t} Delta_i                 (H = sum over all clients of h_j, state tensor {@value #SUM_H})
 *   x_t+1 = mean_{i in S_t} (x_t + Delta_i) + H / N    (unweighted mean; N = enrolled clients)
 * </pre>
 * The code keeps an N x d table of h_j and averages it; since h_j changes only when client j reports, the running
 * sum H gives the same average with O(d) memory, while each client keeps its own h_i ({@link FedSpeedLocal}).
 * The local learning rate of round t (1-based) is {@code lr * lrDecay^(t-1)}, as the code's per-round decay.
 */
public final class FedSpeed implements Strategy {

    public static final String SUM_H = "sum_h";

    private final TrainingConfig training;
    private final double lrDecay;
    private final Map<String, Double> clientParams;

    /**
     * @param training the training config; weightDecay and clipNorm default to the code's 1e-3 and 10
     * @param beta     the correction ("proxy") coefficient lambda >= 0, 0.1 in the code
     * @param rho      the SAM perturbation radius >= 0, 0.1 in the code
     * @param lrDecay  per-round factor on the local learning rate in (0, 1], 0.998 in the code
     */
    public FedSpeed(TrainingConfig training, double beta, double rho, double lrDecay) {
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("fedspeed: lrDecay must be in (0, 1], got " + lrDecay);
        }
        Map<String, Double> params = new HashMap<>();
        params.put(TrainingConfig.WEIGHT_DECAY, FedSpeedLocal.DEFAULT_WEIGHT_DECAY);
        params.put(TrainingConfig.CLIP_NORM, FedSpeedLocal.DEFAULT_CLIP_NORM);
        params.putAll(training.params());
        params.put(FedSpeedLocal.BETA, beta);
        params.put(FedSpeedLocal.RHO, rho);
        FedSpeedLocal.options(params);
        this.training = training;
        this.lrDecay = lrDecay;
        this.clientParams = Map.copyOf(params);
    }

    @Override
    public String name() {
        return FedSpeedLocal.NAME;
    }

    @Override
    public StrategyState initialState(ModelWeights model) {
        return new StrategyState(Map.of(SUM_H, StateTensors.filled(model, 0f)), Map.of());
    }

    /** The local learning rate of round {@code round} (1-based). */
    public double learningRate(long round) {
        return training.learningRate() * Math.pow(lrDecay, round - 1);
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, ModelWeights model, StrategyState state) {
        double rate = learningRate(round.round());
        Map<String, TrainingPlan> plans = new LinkedHashMap<>();
        for (String id : participants) {
            plans.put(id, training.plan(name(), "train", rate, Seeds.forClient(round.seed(), id), clientParams));
        }
        return new RoundPlan(plans, Optional.empty());
    }

    @Override
    public RoundAggregator newAggregator(RoundContext round, ModelSpec spec) {
        return new WeightedMeanAggregator(spec, false);
    }

    @Override
    public RoundResult finishRound(RoundContext round, ModelWeights model, StrategyState state, RoundAggregator aggregate) {
        WeightedMeanAggregator agg = WeightedMeanAggregator.of(aggregate);
        float[] sumH = StateTensors.require(state, SUM_H, model);
        if (agg.count() == 0) {
            return new RoundResult(model, state, Map.of("clients", 0.0));
        }
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
        StrategyState next = new StrategyState(Map.of(SUM_H, new ModelWeights(model.spec(), nextH)), state.scalars());
        Map<String, Double> metrics = new HashMap<>(RoundMetrics.of(agg, mean));
        metrics.put("learning_rate", learningRate(round.round()));
        return new RoundResult(new ModelWeights(model.spec(), nextX), next, metrics);
    }
}
