package dev.hansa.aggregation.strategy.fedamd;

import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.Tensors;
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
        Map<String, Double> params = training.paramsWith(FedAmdClient.NAME,
                Map.of(FedAmdClient.ANCHOR_BATCH_SIZE, (double) anchorBatchSize));
        FedAmdClient.anchorBatchSize(params);
        this.training = training;
        this.schedule = schedule;
        this.serverLearningRate = serverLearningRate;
        this.clientParams = Map.copyOf(params);
    }

    @Override
    public String name() {
        return FedAmdClient.NAME;
    }

    @Override
    public State initialState(Tensors model) {
        return new State(Map.of(SUM_G, Tensors.filled(model.spec(), 0f)), Map.of(REPORTED, 0.0));
    }

    @Override
    public RoundPlan planRound(RoundContext round, List<String> participants, Tensors model, State state) {
        double reported = state.scalar(REPORTED, 0);
        float[] sumG = state.require(SUM_G, model.spec());
        double p = reported == 0 || participants.isEmpty() ? 1
                : schedule.probability(round.round(), round.totalClients(), participants.size());
        Map<String, TrainingPlan> plans = new LinkedHashMap<>();
        boolean anyMiner = false;
        for (String id : participants) {
            long seed = Seeds.forClient(round.seed(), id);
            boolean anchor = Seeds.generator(Seeds.mix(seed ^ ROLE_SALT)).nextDouble() < p;
            anyMiner |= !anchor;
            plans.put(id, training.plan(name(), anchor ? FedAmdClient.ANCHOR : FedAmdClient.MINER,
                    training.learningRate(), seed, clientParams));
        }
        Optional<Tensors> bullseye = Optional.empty();
        if (anyMiner) {
            float[] v = new float[sumG.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (sumG[i] / reported);
            }
            bullseye = Optional.of(new Tensors(model.spec(), v));
        }
        return new RoundPlan(plans, bullseye);
    }

    @Override
    public UpdateWeighting weighting() {
        return UpdateWeighting.UNIFORM;
    }

    @Override
    public boolean acceptsRobustAggregation() {
        return false;
    }

    @Override
    public RoundResult finishRound(RoundContext round, Tensors model, State state, RoundAggregate aggregate) {
        float[] sumG = state.require(SUM_G, model.spec());
        Optional<GroupAggregate> anchors = aggregate.role(FedAmdClient.ANCHOR);
        Optional<GroupAggregate> miners = aggregate.role(FedAmdClient.MINER);
        long firstReports = anchors.map(a -> Math.round(a.metricMeans().getOrDefault(FedAmdClient.FIRST_REPORT, 0.0)
                * a.totalWeight())).orElse(0L);
        double reported = state.scalar(REPORTED, 0) + firstReports;
        float[] nextG = sumG.clone();
        if (anchors.isPresent()) {
            double[] changes = anchors.get().sum();
            for (int i = 0; i < nextG.length; i++) {
                nextG[i] = (float) (sumG[i] + changes[i]);
            }
        }
        Map<String, Double> metrics = new HashMap<>();
        Tensors next = model;
        if (miners.isPresent()) {
            double[] mean = miners.get().mean();
            float[] x = model.values();
            float[] nextX = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                nextX[i] = (float) (x[i] + serverLearningRate * mean[i]);
            }
            next = new Tensors(model.spec(), nextX);
            metrics.putAll(miners.get().metrics(mean));
        }
        metrics.put("clients", (double) aggregate.count());
        metrics.put("miners", (double) miners.map(GroupAggregate::count).orElse(0));
        metrics.put("anchors", (double) anchors.map(GroupAggregate::count).orElse(0));
        metrics.put(REPORTED, reported);
        State nextState = new State(Map.of(SUM_G, new Tensors(model.spec(), nextG)), Map.of(REPORTED, reported));
        return new RoundResult(next, nextState, metrics);
    }
}
