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

    /** The transformed batch; {@code seed} is the round's seed, for rules that shuffle. */
    UpdateBatch apply(UpdateBatch batch, long seed);
}
