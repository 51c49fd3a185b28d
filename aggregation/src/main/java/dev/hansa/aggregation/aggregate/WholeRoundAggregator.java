package dev.hansa.aggregation.aggregate;

/** An {@link Aggregator} that needs all of a round's updates at once. */
public non-sealed interface WholeRoundAggregator extends Aggregator {

    /** The rule's estimate of the mean of {@code batch} (length d); {@code batch} holds at least {@link #minUpdates()}. */
    double[] aggregate(UpdateBatch batch);
}
