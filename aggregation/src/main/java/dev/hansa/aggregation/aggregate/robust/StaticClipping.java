package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.MixedBatch;
import dev.hansa.aggregation.aggregate.PreAggregator;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Map;

/**
 * {@value #NAME}, static clipping: each update scaled to L2 norm at most c, {@code x_i min(1, c / ||x_i||)}, keeping
 * its weight (ByzFL's {@code Clipping}, default c = {@value #DEFAULT_C}; c is in the units of the updates' norm).
 * Bounds what any one update can move the aggregate by. Norms come from the batch's {@link RowGeometry}, which the
 * distance-based rules after it reuse; returns a {@link MixedBatch} with a diagonal mix, so no row is read or
 * written.
 */
public final class StaticClipping implements PreAggregator {

    public static final String NAME = "clipping";
    public static final double DEFAULT_C = 2;

    private final double c;

    public StaticClipping(double c) {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("clipping c must be finite and > 0, got " + c);
        }
        this.c = c;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("c", c);
    }

    /** Rescales each update alone, so it runs before any step that mixes updates. */
    @Override
    public boolean mixesRows() {
        return false;
    }

    @Override
    public UpdateBatch apply(UpdateBatch batch, long seed) {
        return clip(batch, norms(batch), c);
    }

    /** Every row's L2 norm. */
    static double[] norms(UpdateBatch batch) {
        double[] squared = batch.geometry().squaredNorms();
        double[] norms = new double[squared.length];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = Math.sqrt(squared[i]);
        }
        return norms;
    }

    /** The rows of {@code batch} (whose norms are {@code norms}) scaled to norm at most {@code bound}, as a mix. */
    static UpdateBatch clip(UpdateBatch batch, double[] norms, double bound) {
        int n = batch.size();
        double[][] mix = new double[n][n];
        for (int i = 0; i < n; i++) {
            mix[i][i] = norms[i] > bound ? bound / norms[i] : 1;
        }
        return new MixedBatch(batch, mix, batch.weights());
    }
}
