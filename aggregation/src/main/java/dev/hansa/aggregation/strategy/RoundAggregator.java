package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.update.Update;

/**
 * Streaming fold of one round's accepted updates. Memory stays O(model size) for every strategy whose server
 * update is a sum over updates; the server calls {@link #add} once per accepted update, in acceptance order, and
 * rebuilds the aggregator from stored updates after a restart. Not thread-safe: the caller serialises adds.
 */
public interface RoundAggregator {

    /** Folds one validated update. */
    void add(Update update);

    /** Number of updates folded so far. */
    int count();
}
