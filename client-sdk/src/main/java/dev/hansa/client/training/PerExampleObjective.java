package dev.hansa.client.training;

import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.compute.FloatArray;

/**
 * An {@link Objective} that can also clip every example's gradient on its own, the core of DP-SGD (Abadi et al.
 * 2016): the sum over the batch of {@code grad l_i * min(1, clip / (||grad l_i|| + 1e-6))}, the 1e-6 as in Opacus.
 */
public interface PerExampleObjective extends Objective {

    /** Added to each per-example norm before dividing, as Opacus and private-transformers do. */
    double NORM_EPSILON = 1e-6;

    /**
     * Writes the sum of the batch's per-example gradients, each clipped to L2 norm {@code clip}, into {@code sumOut};
     * returns the batch's mean loss at {@code params}.
     *
     * @param batch indices into the local data, not empty
     */
    double clippedGradientSum(FloatArray params, int[] batch, double clip, PerExampleClipping mode,
                              FloatArray sumOut);
}
