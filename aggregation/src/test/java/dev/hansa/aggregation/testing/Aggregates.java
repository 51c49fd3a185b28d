package dev.hansa.aggregation.testing;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.update.Update;

/** A round's aggregate built as the server builds it (default robustness settings), for strategy unit tests. */
public final class Aggregates {

    private final AggregationPipeline pipeline;
    private final RoundAggregation aggregation;

    private Aggregates(Strategy strategy, ModelSpec spec) {
        this.pipeline = new AggregationPipeline(AggregationPipeline.Settings.DEFAULT, strategy.weighting());
        this.aggregation = pipeline.start(spec, 0);
    }

    public static Aggregates of(Strategy strategy, ModelSpec spec) {
        return new Aggregates(strategy, spec);
    }

    /** Admits and adds {@code update}, as if its client had declared exactly its sample count. */
    public Aggregates add(Update update) {
        aggregation.add(pipeline.admit(update, update.numSamples()));
        return this;
    }

    public RoundAggregate result() {
        return aggregation.result();
    }
}
