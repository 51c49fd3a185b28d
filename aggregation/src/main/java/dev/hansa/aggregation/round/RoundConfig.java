package dev.hansa.aggregation.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.strategy.EstimateAccumulation;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import dev.hansa.aggregation.update.transform.ErrorFeedbackRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a federation's config that decide how its rounds run, as JSON-shaped sections: {@code strategy}
 * (name and params), {@code training}, {@code update} (codec, clip, error feedback), {@code robustness}
 * (aggregator, norm and sample bounds) and the sampler. The server parses a federation's config with it and the
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
        TrainingConfig defaults;
        try {
            defaults = Strategies.defaultTraining(strategyName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy.name: " + e.getMessage());
        }
        Strategies.Configured strategy = Strategies.configure(strategyName, strategyParams,
                TrainingConfig.fromMap(training, defaults));
        UpdateSpec updateSpec = updateSpec(update);
        Strategy rounds = updateSpec.errorFeedback() && ErrorFeedbackRules.needsServerEstimate(
                updateSpec.errorFeedbackRule()) ? new EstimateAccumulation(strategy.strategy()) : strategy.strategy();
        AggregationPipeline.Settings settings = Aggregators.robustness(robustness);
        settings.shortfall(sampling.minClients()).ifPresent(reason -> {
            throw new IllegalArgumentException("robustness: " + reason + " in a round of schedule.minClients");
        });
        RoundProtocol protocol = new RoundProtocol(rounds,
                Samplers.create(sampling.sampler(), sampling.clientFraction(), sampling.minClients(), sampling.maxClients()),
                updateSpec, settings);
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("update", updateSpec.toMap());
        pipeline.put("robustness", settings.toMap());
        pipeline.put("sampler", sampling.sampler());
        return new Configured(protocol, strategy.effectiveParams(), pipeline);
    }

    /**
     * Parses the {@code update} section: {@code codec}, {@code clipNorm}, {@code errorFeedback}, {@code k}, the
     * codec's {@code params}, {@code errorFeedbackRule} and its {@code errorFeedbackParams}.
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
        h.done();
        return new UpdateSpec(codec, clipNorm, errorFeedback, k, configured.params(), rule, ruleParams);
    }

    /** The sampler names, for help texts. */
    public static List<String> samplers() {
        return Samplers.names();
    }
}
