package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;

/**
 * {@code u * min(1, c / ||u||_2)}: bounds the update's L2 norm by {@code c} (a zero update stays zero). The
 * server's {@code robustness.maxUpdateNorm} refuses or clips what a client sends beyond its bound; clipping on the
 * client first keeps an honest client inside it. Stateless.
 */
public final class ClipToNorm implements UpdateTransform {

    private final double bound;

    public ClipToNorm(double bound) {
        if (!(bound > 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("update.clipNorm must be finite and > 0, got " + bound);
        }
        this.bound = bound;
    }

    @Override
    public String name() {
        return "clip";
    }

    @Override
    public State init(ModelSpec spec) {
        return State.EMPTY;
    }

    @Override
    public Step apply(Tensors update, State state, long seed) {
        double norm = update.l2Norm();
        if (norm <= bound) {
            return new Step(update, state);
        }
        double scale = bound / norm;
        float[] v = update.values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * scale);
        }
        return new Step(new Tensors(update.spec(), out), state);
    }
}
