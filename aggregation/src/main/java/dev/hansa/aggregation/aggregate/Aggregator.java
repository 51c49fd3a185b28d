package dev.hansa.aggregation.aggregate;

import java.util.Map;

/**
 * The rule that turns a round's (admitted, pre-aggregated) updates of one role into an estimate of their weighted
 * mean. Streaming rules fold one update at a time in O(model) memory; whole-round rules need every update of the
 * round at once (median, trimmed mean, Krum, ...). The {@link AggregationPipeline} knows which kind it holds and the
 * server picks its ingest path from that.
 */
public sealed interface Aggregator permits StreamingAggregator, WholeRoundAggregator {

    /** The name configs use, e.g. {@code mean}. */
    String name();

    /** Its parameters as a config names them, defaults filled in (recorded with each round). */
    default Map<String, Object> params() {
        return Map.of();
    }

    /**
     * The fewest updates this rule can aggregate with its f; a federation whose rounds could hold fewer is refused
     * when created, and a round that closes with fewer fails with that reason.
     */
    default int minUpdates() {
        return 1;
    }

    /** The bound behind {@link #minUpdates()} as its paper states it, e.g. {@code n > 2f + 2}. */
    default String requirement() {
        return "n >= " + minUpdates();
    }
}
