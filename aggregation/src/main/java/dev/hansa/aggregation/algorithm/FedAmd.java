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
 * FedAMD / anchor sampling (Wu et al., ICML 2023), server half, after the official code (HarliWu/FedAMD @73596d5).
 * <p>Round t: each participant is an anchor with the {@link AnchorSchedule}'s probability (a coin seeded by the
 * round seed and the client id), otherwise a miner; miners download the bullseye {@code v = G / R} as the round's
 * broadcast, where G ({@value #SUM_G}) is the sum of the latest anchor gradients of all clients that ever reported
 * one and R ({@value #REPORTED}) their number. Closing: {@code G += sum of the anchors' changes}, R += first reports,
 * and {@code x_{t+1} = x_t + eta_g * mean_miners(y_K - x_t)} (the code's {@code x - eta_g mean(x - y_K)} in Hansa's
 * delta convention; unchanged when no miner reported).
 *
 * <p>Differences from the code: the code computes g_j for all N clients at x^0 before round 1 and divides by N.
 * Hansa cannot reach all clients at once, so until some anchor has reported (R = 0) every participant is an anchor
 * (warm-up rounds), and v averages over the R clients that have reported instead of N: with R = N, as in the code
 * after its initialisation, the two agree, and before that dividing by N would shrink v towards 0.
 */
public final class FedAmd implements Strategy {

    public static final String SUM_G = "sum_g";
    public static final String REPORTED = "anchors_reported";
    private static final long ROLE_SALT = 0x616e63686f72L;

    private final TrainingConfig training;
    private final AnchorSchedule schedule;
    private final double serverLearningRate;
    private final Map<String, Double> clientParams;

    /**
     * @param training           the training config (the code's defaults: 10 local steps, batch 64, lr 0.01); its
     *                           params must be empty, the code's miners use no momentum, decay or clipping
     * @param schedule           the anchor probability option
     * @param serverLearningRate eta_g > 0
     * @param anchorBatchSize    the anchors' large batch, 0 = all local samples
     */
    public FedAmd(TrainingConfig training, AnchorSchedule schedule, double serverLearningRate, int anchorBatchSize) {
        if (!(serverLearningRate > 0) || Double.isInfinite(serverLearningRate)) {
            throw new IllegalArgumentException("fedamd: serverLearningRate must be finite and > 0, got "
                    + serverLearningRate);
        }
        Map<String, Double> params = new HashMap<>(training.params());
        params.put(FedAmdLocal.ANCHOR_BATCH_SIZE, (double) anchorBatchSize);
        FedAmdLocal.anchorBatchSize(params);
        this.training = training;
        this.schedule = schedule;
        this.serverLearningRate = serverLearningRate;
        this.clientParams = Map.copyOf(params);
    }

    @Override
    public String name() {
        return FedAmdLocal.NAME;
    }

    @Override
    public StrategyState initialState(ModelWeights model) {
        return new StrategyState(Map.of(SUM_G, StateTensors.filled(model, 0f)), Map.of(REPORTED, 0.0));
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, ModelWeights model, StrategyState state) {
        double reported = state.scalar(REPORTED, 0);
        float[] sumG = StateTensors.require(state, SUM_G, model);
        double p = reported == 0 || participants.isEmpty() ? 1
                : schedule.probability(round.round(), round.totalClients(), participants.size());
        Map<String, TrainingPlan> plans = new LinkedHashMap<>();
        boolean anyMiner = false;
        for (String id : participants) {
            long seed = Seeds.forClient(round.seed(), id);
            boolean anchor = Seeds.generator(Seeds.mix(seed ^ ROLE_SALT)).nextDouble() < p;
            anyMiner |= !anchor;
            plans.put(id, training.plan(name(), anchor ? FedAmdLocal.ANCHOR : FedAmdLocal.MINER,
                    training.learningRate(), seed, clientParams));
        }
        Optional<ModelWeights> bullseye = Optional.empty();
        if (anyMiner) {
            float[] v = new float[sumG.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (sumG[i] / reported);
            }
            bullseye = Optional.of(new ModelWeights(model.spec(), v));
        }
        return new RoundPlan(plans, bullseye);
    }

    @Override
    public RoundAggregator newAggregator(RoundContext round, ModelSpec spec) {
        return new FedAmdAggregator(spec);
    }

    @Override
    public RoundResult finishRound(RoundContext round, ModelWeights model, StrategyState state, RoundAggregator aggregate) {
        FedAmdAggregator agg = FedAmdAggregator.of(aggregate);
        float[] sumG = StateTensors.require(state, SUM_G, model);
        double reported = state.scalar(REPORTED, 0) + agg.firstAnchorReports;
        float[] nextG = sumG.clone();
        if (agg.anchors.count() > 0) {
            double[] changes = agg.anchors.sum();
            for (int i = 0; i < nextG.length; i++) {
                nextG[i] = (float) (sumG[i] + changes[i]);
            }
        }
        Map<String, Double> metrics = new HashMap<>();
        ModelWeights next = model;
        if (agg.miners.count() > 0) {
            double[] mean = agg.miners.mean();
            float[] x = model.values();
            float[] nextX = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                nextX[i] = (float) (x[i] + serverLearningRate * mean[i]);
            }
            next = new ModelWeights(model.spec(), nextX);
            metrics.putAll(RoundMetrics.of(agg.miners, mean));
        }
        metrics.put("clients", (double) agg.count());
        metrics.put("miners", (double) agg.miners.count());
        metrics.put("anchors", (double) agg.anchors.count());
        metrics.put(REPORTED, reported);
        StrategyState nextState = new StrategyState(Map.of(SUM_G, new ModelWeights(model.spec(), nextG)),
                Map.of(REPORTED, reported));
        return new RoundResult(next, nextState, metrics);
    }
}
