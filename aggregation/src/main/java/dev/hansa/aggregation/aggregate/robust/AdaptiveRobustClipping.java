package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.PreAggregator;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@value #NAME}, adaptive robust clipping (Allouah, Guerraoui, Gupta, Jellouli, Rizk and Stephan, "The Vital Role of
 * Gradient Clipping in Byzantine-Resilient Distributed Learning", 2024): the {@code k = floor(2 (f / n) (n - f))}
 * updates of largest norm are clipped to the norm of the largest one not among them; the others, which are no longer
 * than that, are unchanged. Weights are kept. k is computed in integers (ByzFL's {@code ARC} rounds the float
 * product, which can land just below an integer); equal norms are ordered by index, as ByzFL's stable sort does.
 * Needs {@code n >= f}, as ByzFL checks. Norms come from the batch's {@link RowGeometry}; returns a {@link MixedBatch}
 * with a diagonal mix ({@link StaticClipping#clip}).
 */
public final class AdaptiveRobustClipping implements PreAggregator {

    public static final String NAME = "arc";

    private final int f;

    public AdaptiveRobustClipping(int f) {
        this.f = f;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public int minUpdates() {
        return Math.max(1, f);
    }

    @Override
    public String requirement() {
        return "n >= f";
    }

    /** How many of {@code n} updates are clipped: {@code floor(2 f (n - f) / n)}, at most n / 2, so one is left. */
    int clipped(int n) {
        return (int) (2L * f * (n - f) / n);
    }

    /** Rescales each update alone, so it runs before any step that mixes updates. */
    @Override
    public boolean mixesRows() {
        return false;
    }

    @Override
    public UpdateBatch apply(UpdateBatch batch, long seed) {
        int n = batch.size();
        double[] norms = StaticClipping.norms(batch);
        int[] ascending = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> norms[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        return StaticClipping.clip(batch, norms, norms[ascending[n - clipped(n) - 1]]);
    }
}
