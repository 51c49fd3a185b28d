package dev.hansa.aggregation.aggregate;

import java.util.Map;

/**
 * A step in front of a whole-round aggregator that maps the round's updates to new vectors (Allouah et al.'s NNM,
 * Karimireddy et al.'s bucketing, ...), composable in any number: "bucketing then median" is configuration. Pure:
 * the input batch is not modified.
 */
public interface PreAggregator {

    /** The name configs use. */
    String name();

    /** Its parameters as a config names them (recorded with each round). */
    Map<String, Object> params();

    /**
     * Whether an output row combines several input rows (bucketing, nearest-neighbour mixing) rather than rescaling
     * one (clipping). A rescaling step after a mixing one would bound mixtures instead of each client's update, so
     * the settings refuse that order.
     */
    default boolean mixesRows() {
        return true;
    }

    /** The fewest updates it can take (with its f); see {@link Aggregator#minUpdates()}. */
    default int minUpdates() {
        return 1;
    }

    /** The bound behind {@link #minUpdates()}, e.g. {@code n > 2f}. */
    default String requirement() {
        return "n >= " + minUpdates();
    }

    /** How many rows it turns {@code n} rows into. */
    default int outputSize(int n) {
        return n;
    }

    /** The transformed batch; {@code seed} is the round's seed, for rules that shuffle. */
    UpdateBatch apply(UpdateBatch batch, long seed);
}
