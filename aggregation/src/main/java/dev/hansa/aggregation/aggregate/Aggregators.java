package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.config.Hyperparameters;
import java.util.List;

/** Aggregators and pre-aggregators by the names a federation's {@code robustness} section uses. */
public final class Aggregators {

    private Aggregators() {
    }

    public static List<String> names() {
        return List.of(WeightedMean.NAME, CoordinateMedian.NAME);
    }

    public static Aggregator aggregator(String name) {
        return switch (name) {
            case WeightedMean.NAME -> new WeightedMean();
            case CoordinateMedian.NAME -> new CoordinateMedian();
            default -> throw new IllegalArgumentException("robustness.aggregator must be one of " + names() + ", got " + name);
        };
    }

    /** A pre-aggregator from its config object ({@code {"name": "bucketing", "bucketSize": 2}}). */
    static PreAggregator preAggregator(Hyperparameters h) {
        String name = h.choice("name", null, List.of(Bucketing.NAME));
        if (name == null) {
            throw new IllegalArgumentException(h.field("name") + " is required; known: " + List.of(Bucketing.NAME));
        }
        PreAggregator pre = new Bucketing((int) h.integer("bucketSize", 2, 1, 1_000_000));
        h.done();
        return pre;
    }
}
