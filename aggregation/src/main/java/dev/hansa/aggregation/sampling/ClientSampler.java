package dev.hansa.aggregation.sampling;

import java.util.List;

/**
 * Picks a round's participants among the live candidates. Deterministic: the same candidate list and seed always
 * give the same participants in the same order (the order of {@code candidates}). Inputs are not modified.
 */
public interface ClientSampler {

    /** The participants, a sub-list of {@code candidates} in candidate order; may be empty only where documented. */
    List<String> sample(List<String> candidates, long seed);
}
