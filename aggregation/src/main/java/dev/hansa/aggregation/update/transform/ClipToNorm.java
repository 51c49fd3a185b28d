package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.privacy.mechanism.L2Clip;
import java.util.Map;

/**
 * {@code u * min(1, c / ||u||_2)} ({@link L2Clip}): bounds the update's L2 norm by {@code c} (a zero update stays
 * zero). The server's {@code robustness.maxUpdateNorm} refuses or clips what a client sends beyond its bound;
 * clipping on the client first keeps an honest client inside it, and in a DP federation bounds each client's
 * contribution, the sensitivity the server's noise is calibrated to. Reports the metric {@value #UNCLIPPED}: 1 when
 * the update was within the bound as trained, else 0 (adaptive clipping's {@code b_i}; its mean over a round is the
 * share of updates left unclipped). Stateless.
 */
public final class ClipToNorm implements UpdateTransform {

    public static final String UNCLIPPED = "unclipped";

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
        L2Clip.Clipped clipped = L2Clip.clip(update.values(), bound);
        Tensors out = clipped.values() == update.values() ? update : new Tensors(update.spec(), clipped.values());
        return new Step(out, state, Map.of(UNCLIPPED, clipped.withinBound() ? 1.0 : 0.0));
    }
}
