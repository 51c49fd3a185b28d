package dev.hansa.aggregation.attack;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: every Byzantine participant sends +infinity in every coordinate (ByzFL's {@code Inf}). It tests the
 * server's admission rather than the rule: such an update is refused as {@code non-finite-update} by
 * {@code AggregationPipeline.admit}, in the server's ingest and in the simulation alike, and never reaches the
 * aggregator.
 */
public final class InfinityAttack implements Attack {

    public static final String NAME = "infinity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public List<float[]> forge(Observation o) {
        float[] row = new float[o.dimension()];
        Arrays.fill(row, Float.POSITIVE_INFINITY);
        return o.same(row);
    }
}
