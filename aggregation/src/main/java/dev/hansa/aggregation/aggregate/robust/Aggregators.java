package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.Aggregator;
import dev.hansa.aggregation.aggregate.PreAggregator;
import dev.hansa.aggregation.aggregate.WeightedMean;
import dev.hansa.aggregation.aggregate.robust.CenteredClipping.Start;
import dev.hansa.aggregation.config.Hyperparameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Aggregators and pre-aggregators by the names a federation's {@code robustness} section uses. Each is made by a
 * factory from its parameters (unknown names are refused once the factory has read its own) and the federation's f,
 * the number of Byzantine updates per round the rules are to tolerate.
 */
public final class Aggregators {

    /** Makes a rule from its parameters and f. */
    @FunctionalInterface
    interface Factory<T> {
        T create(Hyperparameters params, int f);
    }

    private static final Map<String, Factory<Aggregator>> AGGREGATORS = new LinkedHashMap<>();
    private static final Map<String, Factory<PreAggregator>> PRE_AGGREGATORS = new LinkedHashMap<>();

    static {
        AGGREGATORS.put(WeightedMean.NAME, (h, f) -> new WeightedMean());
        AGGREGATORS.put(CoordinateMedian.NAME, (h, f) -> new CoordinateMedian(f));
        AGGREGATORS.put(TrimmedMean.NAME,
                (h, f) -> new TrimmedMean(f, (int) h.integer("trim", f, 0, AggregationPipeline.Settings.MAX_F)));
        AGGREGATORS.put(Krum.NAME, (h, f) -> new Krum(f));
        AGGREGATORS.put(MultiKrum.NAME, (h, f) -> new MultiKrum(f, h.has("m")
                ? OptionalInt.of((int) h.integer("m", 0, 1, AggregationPipeline.Settings.MAX_F))
                : OptionalInt.empty()));
        AGGREGATORS.put(Bulyan.NAME, (h, f) -> new Bulyan(f));
        AGGREGATORS.put(GeometricMedian.NAME, (h, f) -> new GeometricMedian(f, (int) h.integer("iterations",
                GeometricMedian.DEFAULT_ITERATIONS, 1, GeometricMedian.MAX_ITERATIONS),
                h.real("nu", GeometricMedian.DEFAULT_NU, 0, false, Double.POSITIVE_INFINITY, false)));
        AGGREGATORS.put(CenteredClipping.NAME, (h, f) -> new CenteredClipping(f,
                h.real("tau", CenteredClipping.DEFAULT_TAU, 0, false, Double.POSITIVE_INFINITY, false),
                (int) h.integer("iterations", CenteredClipping.DEFAULT_ITERATIONS, 1, CenteredClipping.MAX_ITERATIONS),
                Start.of(h.choice("start", Start.MEDIAN.configName(), Start.configNames()))));
        AGGREGATORS.put(MinimumDiameterAveraging.NAME, (h, f) -> new MinimumDiameterAveraging(f));
        AGGREGATORS.put(CovarianceFilter.NAME, (h, f) -> new CovarianceFilter(f));
        AGGREGATORS.put(SmallestMaximumEigenvalueAveraging.NAME, (h, f) -> new SmallestMaximumEigenvalueAveraging(f));
        AGGREGATORS.put(Meamed.NAME, (h, f) -> new Meamed(f));
        PRE_AGGREGATORS.put(Bucketing.NAME, (h, f) -> new Bucketing((int) h.integer("bucketSize", 2, 1, 1_000_000)));
        PRE_AGGREGATORS.put(NearestNeighbourMixing.NAME, (h, f) -> new NearestNeighbourMixing(f));
        PRE_AGGREGATORS.put(StaticClipping.NAME, (h, f) -> new StaticClipping(
                h.real("c", StaticClipping.DEFAULT_C, 0, false, Double.POSITIVE_INFINITY, false)));
        PRE_AGGREGATORS.put(AdaptiveRobustClipping.NAME, (h, f) -> new AdaptiveRobustClipping(f));
    }

    private Aggregators() {
    }

    public static List<String> names() {
        return List.copyOf(AGGREGATORS.keySet());
    }

    public static List<String> preAggregatorNames() {
        return List.copyOf(PRE_AGGREGATORS.keySet());
    }

    /**
     * A federation's {@code robustness} section parsed (absent fields take the defaults; unknown fields are refused,
     * every error names its field).
     */
    public static AggregationPipeline.Settings robustness(Map<String, ?> section) {
        Hyperparameters h = new Hyperparameters("robustness", "the robustness section", section);
        int f = (int) h.integer("f", 0, 0, AggregationPipeline.Settings.MAX_F);
        String name = h.choice("aggregator", WeightedMean.NAME, names());
        Aggregator aggregator = aggregator(name, h.section("aggregatorParams", name), f);
        List<PreAggregator> pre = h.objects("preAggregators", "a pre-aggregator", 8).stream()
                .map(p -> preAggregator(p, f)).toList();
        double maxNorm = h.real("maxUpdateNorm", 0, 0, true, Double.POSITIVE_INFINITY, false);
        AggregationPipeline.NormPolicy policy = AggregationPipeline.NormPolicy.valueOf(
                h.choice("onNormExceeded", "reject", List.of("reject", "clip")).toUpperCase(Locale.ROOT));
        long maxSamples = h.integer("maxSamplesPerUpdate", AggregationPipeline.Settings.DEFAULT_MAX_SAMPLES, 1,
                Long.MAX_VALUE / 1024);
        h.done();
        return new AggregationPipeline.Settings(aggregator, pre, f, maxNorm, policy, maxSamples);
    }

    /** The aggregator {@code name} with its parameters read from {@code params} (path {@code robustness.aggregatorParams}). */
    public static Aggregator aggregator(String name, Hyperparameters params, int f) {
        Factory<Aggregator> factory = AGGREGATORS.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("robustness.aggregator must be one of " + names() + ", got " + name);
        }
        Aggregator aggregator = factory.create(params, f);
        params.done();
        return aggregator;
    }

    /** The aggregator {@code name} with default parameters. */
    public static Aggregator aggregator(String name, int f) {
        return aggregator(name, new Hyperparameters("robustness.aggregatorParams", name, Map.of()), f);
    }

    /** A pre-aggregator from its config object ({@code {"name": "bucketing", "bucketSize": 2}}). */
    static PreAggregator preAggregator(Hyperparameters h, int f) {
        String name = h.choice("name", null, preAggregatorNames());
        if (name == null) {
            throw new IllegalArgumentException(h.field("name") + " is required; known: " + preAggregatorNames());
        }
        PreAggregator pre = PRE_AGGREGATORS.get(name).create(h, f);
        h.done();
        return pre;
    }
}
