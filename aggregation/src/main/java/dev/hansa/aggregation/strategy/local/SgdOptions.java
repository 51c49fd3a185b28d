package dev.hansa.aggregation.strategy.local;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;

/**
 * Options of the local SGD step shared by the built-in procedures, read from a plan's params.
 *
 * @param momentum    heavy-ball coefficient in [0, 1); 0 disables
 * @param weightDecay L2 coefficient >= 0 added to the gradient after clipping
 * @param gradientClipNorm global L2 norm the loss gradient is clipped to; 0 disables
 */
public record SgdOptions(double momentum, double weightDecay, double gradientClipNorm) {

    /** Reads the three options (defaults 0) from {@code h}. */
    public static SgdOptions read(Hyperparameters h, double defaultWeightDecay, double defaultClipNorm) {
        return new SgdOptions(
                h.real(TrainingConfig.MOMENTUM, 0, 0, true, 1, false),
                h.real(TrainingConfig.WEIGHT_DECAY, defaultWeightDecay, 0, true, Double.POSITIVE_INFINITY, false),
                h.real(TrainingConfig.GRADIENT_CLIP_NORM, defaultClipNorm, 0, true, Double.POSITIVE_INFINITY, false));
    }

    /** Scales {@code grad} in place so that its L2 norm is at most {@code gradientClipNorm} (no-op when disabled). */
    public void clip(Backend backend, FloatArray grad) {
        clipToNorm(backend, grad, gradientClipNorm);
    }

    /** v * min(1, c / ||v||) in place; c = 0 means no clipping. */
    public static void clipToNorm(Backend backend, FloatArray v, double c) {
        if (c > 0) {
            double norm = backend.nrm2(v);
            if (norm > c) {
                backend.scal((float) (c / norm), v);
            }
        }
    }
}
