package dev.hansa.aggregation.aggregate;

/**
 * The rule that turns a round's (admitted, pre-aggregated) updates of one role into an estimate of their weighted
 * mean. Streaming rules fold one update at a time in O(model) memory; whole-round rules need every update of the
 * round at once (median, trimmed mean, Krum, ...). The {@link AggregationPipeline} knows which kind it holds and the
 * server picks its ingest path from that.
 */
public sealed interface Aggregator permits StreamingAggregator, WholeRoundAggregator {

    /** The name configs use, e.g. {@code mean}. */
    String name();

    /** The fewest updates this rule can aggregate; a round that closes with fewer fails with that reason. */
    default int minUpdates() {
        return 1;
    }
}
