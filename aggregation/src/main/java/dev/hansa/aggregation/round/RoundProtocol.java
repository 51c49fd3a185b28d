package dev.hansa.aggregation.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.RowStore;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.aggregate.WeightedMean;
import dev.hansa.aggregation.dp.CentralPrivacy;
import dev.hansa.aggregation.dp.Contributions;
import dev.hansa.aggregation.dp.NoiseSource;
import dev.hansa.aggregation.dp.TreePrivacy;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.sampling.ClientSampler;
import dev.hansa.aggregation.sampling.PoissonSampler;
import dev.hansa.aggregation.sampling.UniformSampler;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.codec.FetchSgdCodec;
import dev.hansa.aggregation.update.lgreco.LGreCoPlanning;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A federation's round, written once for every driver: the server's orchestrator (around PostgreSQL and HTTP), the
 * in-process {@link LocalFederation} of the simulation and the tests. Opening samples the participants with the
 * federation's sampler and the round's seed and lets the strategy plan them, stamping each plan with the
 * federation's update preparation; the aggregation pipeline takes the updates; closing applies the strategy's
 * server update and refuses a result that is not finite. In a DP federation ({@link CentralPrivacy}, or
 * {@link TreePrivacy} for DP-FTRL) every plan's update spec carries the round's clip and the round's aggregate is
 * noised before the strategy sees it. With {@code update.lgreco} every plan carries the per-tensor knob values of the
 * current L-GreCo plan (kept in the server state), and closing a re-plan round plans them anew
 * ({@link LGreCoPlanning}).
 */
public final class RoundProtocol {

    private final Strategy strategy;
    private final ClientSampler sampler;
    private final UpdateSpec update;
    private final AggregationPipeline aggregation;
    private final Optional<CentralPrivacy> privacy;
    private final Optional<TreePrivacy> tree;

    /**
     * @throws IllegalArgumentException naming the field when the robustness settings do not suit the strategy
     */
    public RoundProtocol(Strategy strategy, ClientSampler sampler, UpdateSpec update, AggregationPipeline.Settings robustness) {
        this(strategy, sampler, update, robustness, Optional.empty());
    }

    /**
     * A protocol whose rounds are client-level DP-FedAvg when {@code privacy} is present.
     *
     * @throws IllegalArgumentException naming the field when the robustness settings do not suit the strategy, or
     *                                  the sampler, weighting, aggregator or update path do not suit DP
     */
    public RoundProtocol(Strategy strategy, ClientSampler sampler, UpdateSpec update,
                         AggregationPipeline.Settings robustness, Optional<CentralPrivacy> privacy) {
        this(strategy, sampler, update, robustness, privacy, Optional.empty());
    }

    /**
     * A protocol whose rounds are DP-FTRL when {@code tree} is present: every eligible candidate up to
     * {@code clientsPerRound} takes part ({@code sampler} is not used), and the aggregate gets tree noise.
     *
     * @throws IllegalArgumentException as the other constructors
     */
    public static RoundProtocol dpFtrl(Strategy strategy, UpdateSpec update, AggregationPipeline.Settings robustness,
                                       TreePrivacy tree) {
        return new RoundProtocol(strategy, new UniformSampler(1, 1, tree.settings().clientsPerRound()), update,
                robustness, Optional.empty(), Optional.of(tree));
    }

    private RoundProtocol(Strategy strategy, ClientSampler sampler, UpdateSpec update,
                          AggregationPipeline.Settings robustness, Optional<CentralPrivacy> privacy,
                          Optional<TreePrivacy> tree) {
        Strategy bound = strategy.forUpdate(update);
        if ((privacy.isPresent() || tree.isPresent()) && update.codec().equals(FetchSgdCodec.NAME)) {
            throw new IllegalArgumentException("privacy: strategy fetchsgd sums count sketches, whose norm the clip "
                    + "does not bound (colliding coordinates add up in a cell), and keeps its error and momentum in "
                    + "sketch space; central DP is not built for it");
        }
        boolean plainMean = robustness.aggregator() instanceof WeightedMean && robustness.preAggregators().isEmpty();
        if (!plainMean && !bound.acceptsRobustAggregation()) {
            throw new IllegalArgumentException("robustness.aggregator: strategy " + bound.name() + " needs the exact "
                    + "sum of its participants' updates, so only the plain mean without pre-aggregators applies");
        }
        privacy.ifPresent(p -> checkPrivacy(p, bound, sampler, update, plainMean));
        tree.ifPresent(t -> checkSumOfClippedUpdates(bound, update, plainMean));
        this.strategy = bound;
        this.sampler = sampler;
        this.update = update;
        this.aggregation = new AggregationPipeline(robustness, bound.weighting());
        this.privacy = privacy;
        this.tree = tree;
    }

    /**
     * What the sampled Gaussian mechanism's analysis needs: Poisson sampling at the configured rate, and what every
     * noised sum of clipped updates needs ({@link #checkSumOfClippedUpdates}).
     */
    private static void checkPrivacy(CentralPrivacy privacy, Strategy strategy, ClientSampler sampler,
                                     UpdateSpec update, boolean plainMean) {
        double q = privacy.settings().samplingRate();
        if (!(sampler instanceof PoissonSampler poisson)) {
            throw new IllegalArgumentException("schedule.sampler: the privacy accountant analyses Poisson sampling "
                    + "only (each client joins a round independently with probability q); use poisson");
        }
        if (poisson.rate() != q) {
            throw new IllegalArgumentException("privacy.samplingRate " + q + " differs from the Poisson sampler's rate "
                    + "schedule.clientFraction " + poisson.rate());
        }
        checkSumOfClippedUpdates(strategy, update, plainMean);
    }

    /**
     * What a noised sum of clipped updates needs, in DP-FedAvg and DP-FTRL alike: every update weighted 1 (each
     * client's sensitivity is the clip), the plain sum, and an update path that cannot lengthen a clipped update
     * (error feedback adds a residual; randk scales up; bf16 rounds up).
     */
    private static void checkSumOfClippedUpdates(Strategy strategy, UpdateSpec update, boolean plainMean) {
        if (strategy.weighting() != UpdateWeighting.UNIFORM) {
            throw new IllegalArgumentException("strategy.params.weighting: a DP federation sums clipped updates with "
                    + "weight 1 each (a client's influence is bounded by the clip, not by its sample count); set it to "
                    + "uniform");
        }
        if (!plainMean) {
            throw new IllegalArgumentException("robustness.aggregator: the noise is calibrated to the plain sum of "
                    + "clipped updates; robust rules and pre-aggregators have other sensitivities");
        }
        if (update.clipNorm() > 0) {
            throw new IllegalArgumentException("update.clipNorm: a DP federation clips to privacy.clipNorm; leave "
                    + "update.clipNorm out");
        }
        if (update.errorFeedback() || !update.codec().equals(DenseCodec.NAME)) {
            throw new IllegalArgumentException("update.codec: a DP federation sends clipped updates dense and without "
                    + "error feedback (other codecs or residuals could lengthen them past the clip)");
        }
    }

    /** This protocol with its DP noise (if any) drawn from {@code source}: {@link NoiseSource#SEEDED} in simulations. */
    public RoundProtocol withNoise(NoiseSource source) {
        return new RoundProtocol(strategy, sampler, update, aggregation.settings(),
                privacy.map(p -> p.withNoise(source)), tree);
    }

    /** This protocol with its DP-FTRL tree noise (if any) derived from {@code secret}. */
    public RoundProtocol withTreeSecret(byte[] secret) {
        return new RoundProtocol(strategy, sampler, update, aggregation.settings(), privacy,
                tree.map(t -> t.withSecret(secret)));
    }

    /** The DP-FTRL stage, when this is a DP-FTRL federation. */
    public Optional<TreePrivacy> tree() {
        return tree;
    }

    /** The candidates that may take part in round {@code number}: all but those DP-FTRL's limit keeps out. */
    public List<String> eligible(List<String> candidates, Contributions contributions, int number) {
        return tree.map(t -> t.eligible(candidates, contributions, number)).orElse(candidates);
    }

    /** The DP stage, when this is a DP federation. */
    public Optional<CentralPrivacy> privacy() {
        return privacy;
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
        if (tree.isPresent()) {
            throw new IllegalStateException("a DP-FTRL round opens with the clients' past contributions");
        }
        return open(federationSeed, number, attempt, candidates, totalClients, model, state, Contributions.NONE);
    }

    /**
     * As {@link #open(long, int, int, List, int, Tensors, State)}, leaving out the candidates that DP-FTRL's
     * participation limit keeps out of the round given their {@code contributions}.
     */
    public Opened open(long federationSeed, int number, int attempt, List<String> candidates, int totalClients,
                       Tensors model, State state, Contributions contributions) {
        long seed = Seeds.forRound(federationSeed, number, attempt);
        List<String> participants = sampler.sample(eligible(candidates, contributions, number), seed);
        RoundContext context = new RoundContext(number, totalClients, participants.size(), seed);
        RoundPlan planned = strategy.planRound(context, participants, model, state);
        Optional<Double> clip = privacy.map(p -> p.clip(number, state))
                .or(() -> tree.map(t -> t.settings().clipNorm()));
        UpdateSpec spec = clip.map(c -> new UpdateSpec(update.codec(), c, false, update.k(), update.params()))
                .orElse(update).withTensors(planned.uploadedTensors());
        if (update.lgreco() != null) {
            update.lgreco().checkModel(model.spec());
            spec = spec.withTensorKnob(LGreCoPlanning.current(state, model.spec()));
        }
        Map<String, TrainingPlan> plans = new LinkedHashMap<>();
        for (String id : participants) {
            plans.put(id, planned.plans().get(id).withUpdate(spec));
        }
        return new Opened(context, participants, new RoundPlan(plans, planned.broadcast(), planned.uploadedTensors()));
    }

    /**
     * An empty aggregation for the round of a model of {@code spec}, over the codec's decoded updates (the model's
     * coordinates, or FetchSGD's sketch tables); a whole-round pipeline keeps its updates on the heap.
     */
    public RoundAggregation startAggregation(RoundContext context, ModelSpec spec) {
        return aggregation.start(decodedSpec(spec), context.seed());
    }

    /** An empty aggregation for the round whose whole-round rows are kept in {@code rows}. */
    public RoundAggregation startAggregation(RoundContext context, ModelSpec spec, RowStore rows) {
        return aggregation.start(decodedSpec(spec), context.seed(), rows);
    }

    /** The layout of the round's decoded updates for a model of {@code spec}: what the aggregation sums. */
    public ModelSpec decodedSpec(ModelSpec spec) {
        return update.createCodec().decodedSpec(spec);
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
        Optional<CentralPrivacy.Release> release;
        Optional<TreePrivacy.Release> treeRelease;
        try {
            RoundAggregate exact = updates.result();
            release = privacy.map(p -> p.release(context, exact, p.clip(context.round(), state)));
            treeRelease = tree.map(t -> t.release(context, exact));
            aggregate = exact;
        } catch (IllegalStateException e) {
            return new Outcome.Failed(e.getMessage());
        }
        RoundResult result = strategy.finishRound(context, model, state, release.map(CentralPrivacy.Release::aggregate)
                .or(() -> treeRelease.map(TreePrivacy.Release::aggregate)).orElse(aggregate));
        if (release.isPresent()) {
            Map<String, Double> metrics = new HashMap<>(result.metrics());
            metrics.putAll(release.get().metrics());
            result = new RoundResult(result.model(), release.get().stateWith(result.state()), metrics);
        }
        if (treeRelease.isPresent()) {
            Map<String, Double> metrics = new HashMap<>(result.metrics());
            metrics.putAll(treeRelease.get().metrics());
            // A new tree starts a new FTRL problem anchored at this model: DP-FTRLM zeroes its momentum.
            State next = tree.get().restartsAfter(context.round()) ? strategy.initialState(result.model())
                    : result.state();
            result = new RoundResult(result.model(), next, metrics);
        }
        if (update.lgreco() != null) {
            List<LGreCoPlanning.Reports> roles = aggregate.byRole().values().stream()
                    .map(g -> new LGreCoPlanning.Reports(g.metricMeans(), g.totalWeight())).toList();
            LGreCoPlanning.Replanned replanned = LGreCoPlanning.replan(update.lgrecoKnob(), update.lgreco(),
                    context.round(), roles, result.state(), model.spec());
            Map<String, Double> metrics = new HashMap<>(result.metrics());
            metrics.putAll(replanned.metrics());
            result = new RoundResult(result.model(), replanned.state(), metrics);
        }
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
