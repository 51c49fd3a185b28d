package dev.hansa.aggregation.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.dp.CentralPrivacy;
import dev.hansa.aggregation.dp.NoiseSource;
import dev.hansa.aggregation.dp.TreePrivacy;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.strategy.EstimateAccumulation;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.diff2.Diff2;
import dev.hansa.aggregation.strategy.diff2.Diff2Noise;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import dev.hansa.aggregation.update.lgreco.LGreCoSettings;
import dev.hansa.aggregation.update.transform.ErrorFeedbackRules;
import dev.hansa.privacy.accounting.NoiseMultiplierPlanner;
import dev.hansa.privacy.mechanism.AdaptiveClipping;
import dev.hansa.privacy.mechanism.Denominator;
import dev.hansa.privacy.mechanism.DpFedAvgSettings;
import dev.hansa.privacy.mechanism.DpFtrlSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a federation's config that decide how its rounds run, as JSON-shaped sections: {@code strategy}
 * (name and params), {@code training}, {@code update} (codec, clip, error feedback), {@code robustness}
 * (aggregator, norm and sample bounds), {@code privacy} (client-level DP-FedAvg; DIFF2's releases with strategy
 * diff2; DP-FTRL with {@code privacy.mechanism = dp-ftrl}) and the sampler. The server parses a federation's config
 * with it and the
 * {@code simulate} command builds the same sections from its flags, so both configure rounds through one parser.
 * Every error is an {@link IllegalArgumentException} naming the field.
 */
public final class RoundConfig {

    /**
     * How a round's participants are drawn.
     *
     * @param sampler        {@code uniform}, {@code poisson} or {@code bernoulli}
     * @param clientFraction uniform: the share of live clients; poisson/bernoulli: each one's probability
     * @param minClients     live clients needed to open a round, and uniform's lower bound on the draw
     * @param maxClients     uniform's upper bound on the draw
     */
    public record Sampling(String sampler, double clientFraction, int minClients, int maxClients) {
    }

    /**
     * What rounds run with: the protocol, every strategy parameter with the value it takes, and the update path's
     * settings ({@code update}, {@code robustness}, {@code sampler}), defaults filled in: what each round records.
     */
    public record Configured(RoundProtocol protocol, Map<String, Object> effectiveStrategyParams,
                             Map<String, Object> pipeline) {
    }

    private RoundConfig() {
    }

    /**
     * Parses and composes the sections; absent optional sections take their defaults.
     *
     * @param strategyName   {@code strategy.name}
     * @param strategyParams {@code strategy.params}
     * @param training       the {@code training} section
     * @param update         the {@code update} section
     * @param robustness     the {@code robustness} section
     */
    public static Configured configure(String strategyName, Map<String, Object> strategyParams,
                                       Map<String, ?> training, Map<String, ?> update, Map<String, ?> robustness,
                                       Sampling sampling) {
        return configure(strategyName, strategyParams, training, update, robustness, Map.of(), sampling, 0);
    }

    /**
     * Parses and composes the sections, {@code privacy} included (empty: not a DP federation); absent optional
     * sections take their defaults.
     *
     * @param rounds the federation's rounds, what a {@code privacy.targetEpsilon} is planned over
     */
    public static Configured configure(String strategyName, Map<String, Object> strategyParams,
                                       Map<String, ?> training, Map<String, ?> update, Map<String, ?> robustness,
                                       Map<String, ?> privacy, Sampling sampling, int rounds) {
        TrainingConfig defaults;
        try {
            defaults = Strategies.defaultTraining(strategyName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy.name: " + e.getMessage());
        }
        Strategies.Configured strategy = Strategies.configure(strategyName, strategyParams,
                TrainingConfig.fromMap(training, defaults));
        UpdateSpec updateSpec = updateSpec(withPreset(update, Strategies.defaultUpdate(strategyName)));
        Strategy roundStrategy = updateSpec.errorFeedback() && ErrorFeedbackRules.needsServerEstimate(
                updateSpec.errorFeedbackRule()) ? new EstimateAccumulation(strategy.strategy()) : strategy.strategy();
        AggregationPipeline.Settings settings = Aggregators.robustness(robustness);
        settings.shortfall(sampling.minClients()).ifPresent(reason -> {
            throw new IllegalArgumentException("robustness: " + reason + " in a round of schedule.minClients");
        });
        Optional<DpFtrlSettings> ftrl = DpFtrlConfig.selected(privacy)
                ? Optional.of(DpFtrlConfig.parse(privacy, sampling, rounds)) : Optional.empty();
        if (ftrl.isPresent() && strategy.strategy() instanceof Diff2) {
            throw new IllegalArgumentException("privacy.mechanism: dp-ftrl does not apply to strategy diff2, whose "
                    + "releases have their own noise schedule");
        }
        Map<String, Object> privacySection = new LinkedHashMap<>(ftrl.isPresent() ? Map.of() : privacy);
        Map<String, Object> diff2Fields = Diff2Noise.split(privacySection);
        Optional<DpFedAvgSettings> dp = privacy(privacySection, sampling, rounds);
        Optional<Diff2Noise> diff2 = diff2Noise(strategy.strategy(), dp, diff2Fields, privacySection);
        RoundProtocol protocol = ftrl.isPresent()
                ? RoundProtocol.dpFtrl(roundStrategy, updateSpec, settings, new TreePrivacy(ftrl.get()))
                : new RoundProtocol(roundStrategy, Samplers.create(sampling.sampler(), sampling.clientFraction(),
                        sampling.minClients(), sampling.maxClients()), updateSpec, settings, dp.map(d -> {
                            CentralPrivacy central = new CentralPrivacy(d, NoiseSource.SECURE);
                            return diff2.isPresent() ? central.withSchedule(diff2.get()) : central;
                        }));
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("update", updateSpec.toMap());
        pipeline.put("robustness", settings.toMap());
        pipeline.put("sampler", sampling.sampler());
        dp.ifPresent(d -> {
            Map<String, Object> recorded = new LinkedHashMap<>(d.toMap());
            diff2.ifPresent(n -> recorded.putAll(n.toMap()));
            pipeline.put("privacy", recorded);
        });
        ftrl.ifPresent(d -> pipeline.put("privacy", d.toMap()));
        return new Configured(protocol, strategy.effectiveParams(), pipeline);
    }

    /** DIFF2's release schedule in a DP federation of strategy diff2; its fields are refused elsewhere. */
    private static Optional<Diff2Noise> diff2Noise(Strategy strategy, Optional<DpFedAvgSettings> dp,
                                                   Map<String, Object> fields, Map<String, Object> privacy) {
        if (!fields.isEmpty() && dp.isEmpty()) {
            throw new IllegalArgumentException("privacy." + fields.keySet().iterator().next() + " needs "
                    + "privacy.noiseMultiplier or privacy.targetEpsilon");
        }
        if (!(strategy instanceof Diff2 diff2)) {
            if (!fields.isEmpty()) {
                throw new IllegalArgumentException("privacy." + fields.keySet().iterator().next() + " applies to "
                        + "strategy diff2 only");
            }
            return Optional.empty();
        }
        return dp.map(d -> Diff2Noise.of(diff2, d, fields, privacy.containsKey("targetEpsilon")));
    }

    /**
     * {@code section} with each field of the strategy's {@code preset} (SparseLoCo's compression) it leaves out, when
     * it leaves out the codec: a section that names a codec states its own update path.
     */
    private static Map<String, ?> withPreset(Map<String, ?> section, Map<String, Object> preset) {
        if (section.containsKey("codec")) {
            return section;
        }
        Map<String, Object> merged = new LinkedHashMap<>(preset);
        merged.putAll(section);
        return merged;
    }

    /**
     * Parses the {@code update} section: {@code codec}, {@code clipNorm}, {@code errorFeedback}, {@code k}, the
     * codec's {@code params}, {@code errorFeedbackRule} and its {@code errorFeedbackParams}, and {@code lgreco}
     * ({@link LGreCoSettings}).
     */
    public static UpdateSpec updateSpec(Map<String, ?> section) {
        Hyperparameters h = new Hyperparameters("update", "the update section", section);
        String codec = h.choice("codec", DenseCodec.NAME, UpdateCodecs.names());
        double clipNorm = h.real("clipNorm", 0, 0, true, Double.POSITIVE_INFINITY, false);
        boolean errorFeedback = h.bool("errorFeedback", false);
        double k = h.real("k", 0, 0, true, Integer.MAX_VALUE, true);
        UpdateCodecs.Configured configured = UpdateCodecs.configure(codec, k, h.section("params", codec));
        String rule = h.choice("errorFeedbackRule", ErrorFeedbackRules.CLASSIC, ErrorFeedbackRules.names());
        Map<String, Double> ruleParams = ErrorFeedbackRules.params(rule, h.section("errorFeedbackParams", rule));
        LGreCoSettings lgreco = LGreCoSettings.parse(h.section("lgreco", "L-GreCo"));
        h.done();
        return new UpdateSpec(codec, clipNorm, errorFeedback, k, configured.params(), rule, ruleParams, lgreco,
                Map.of());
    }

    /**
     * Parses the {@code privacy} section: {@code noiseMultiplier} or {@code targetEpsilon} (planned over
     * {@code rounds} at rate q), {@code clipNorm} (required for a fixed clip; adaptive clipping starts from 0.1 by
     * default), {@code adaptiveClipping}, {@code targetQuantile}, {@code clipLearningRate},
     * {@code clippedCountStddev}, {@code samplingRate} (defaults to the sampler's rate), {@code epsilon} (the
     * budget; defaults to the target epsilon), {@code delta} (required), {@code denominator}. Empty when the section
     * is absent or empty.
     */
    public static Optional<DpFedAvgSettings> privacy(Map<String, ?> section, Sampling sampling, int rounds) {
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Hyperparameters h = new Hyperparameters("privacy", "the privacy section", section);
        h.choice("mechanism", DpFtrlConfig.DP_FEDAVG, List.of(DpFtrlConfig.DP_FEDAVG));
        boolean givenSigma = h.has("noiseMultiplier");
        boolean givenTarget = h.has("targetEpsilon");
        if (givenSigma == givenTarget) {
            throw new IllegalArgumentException("privacy: give exactly one of noiseMultiplier and targetEpsilon");
        }
        if (!h.has("delta")) {
            throw new IllegalArgumentException("privacy.delta is required (the delta epsilon is reported at)");
        }
        double delta = h.real("delta", 0, 0, false, 1, false);
        double q = h.real("samplingRate", sampling.clientFraction(), 0, false, 1, true);
        boolean adaptive = h.bool("adaptiveClipping", false);
        if (!adaptive && !h.has("clipNorm")) {
            throw new IllegalArgumentException("privacy.clipNorm is required for a fixed clip");
        }
        double clip = h.real("clipNorm", AdaptiveClipping.DEFAULT_INITIAL_CLIP, 0, false, 1e9, true);
        double quantile = h.real("targetQuantile", AdaptiveClipping.DEFAULT_TARGET_QUANTILE, 0, true, 1, true);
        double clipRate = h.real("clipLearningRate", AdaptiveClipping.DEFAULT_LEARNING_RATE, 0, false, 1e3, true);
        double countStddev = h.real("clippedCountStddev", Double.NaN, 0, false, 1e9, true);
        if (!adaptive && (h.has("targetQuantile") || h.has("clipLearningRate") || h.has("clippedCountStddev"))) {
            throw new IllegalArgumentException("privacy.adaptiveClipping: targetQuantile, clipLearningRate and "
                    + "clippedCountStddev apply to adaptive clipping only; set adaptiveClipping to true");
        }
        Denominator denominator = Denominator.valueOf(h.choice("denominator", "expected", List.of("expected", "actual"))
                .toUpperCase(Locale.ROOT));
        double target = givenTarget ? h.real("targetEpsilon", 0, 0, false, 1e6, true) : Double.NaN;
        double epsilon = h.real("epsilon", givenTarget ? target : Double.POSITIVE_INFINITY, 0, false, 1e6, true);
        double sigma = givenSigma ? h.real("noiseMultiplier", 0, 0, true, 1e6, true) : plan(q, rounds, target, delta);
        h.done();
        DpFedAvgSettings settings = new DpFedAvgSettings(sigma, target, clip,
                adaptive ? Optional.of(new DpFedAvgSettings.Adaptive(quantile, clipRate, countStddev)) : Optional.empty(),
                q, epsilon, delta, denominator);
        settings.checkPopulation(sampling.minClients(), "schedule.minClients, the fewest clients a round opens with");
        return Optional.of(settings);
    }

    /** The noise multiplier that {@code rounds} rounds at rate q need to stay within {@code target}. */
    private static double plan(double q, int rounds, double target, double delta) {
        if (rounds < 1) {
            throw new IllegalArgumentException("privacy.targetEpsilon needs the number of rounds to plan over");
        }
        try {
            return new NoiseMultiplierPlanner().noiseMultiplier(q, rounds, target, delta);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("privacy." + e.getMessage(), e);
        }
    }

    /** The sampler names, for help texts. */
    public static List<String> samplers() {
        return Samplers.names();
    }
}
