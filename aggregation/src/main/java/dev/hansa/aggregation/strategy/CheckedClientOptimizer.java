package dev.hansa.aggregation.strategy;

import java.util.Map;

/**
 * A {@link ClientOptimizer} whose plan params can be checked without training: a strategy checks the params it will
 * hand out when the federation is created, so a bad {@code training.params} option is refused then (naming the
 * field) and not in every client's round.
 */
public interface CheckedClientOptimizer extends ClientOptimizer {

    /**
     * Checks {@code params} as {@link #train} would read them from a plan.
     *
     * @throws IllegalArgumentException naming the field ({@code training.params.NAME}) of an unknown option or a
     *                                  value out of range
     */
    void check(Map<String, Double> params);
}
