package dev.hansa.privacy.mechanism;

/**
 * Adaptive clipping by quantile estimation (Andrew, Thakkar, McMahan, Ramaswamy, "Differentially Private Learning
 * with Adaptive Clipping", NeurIPS 2021; TF-Privacy {@code QuantileEstimatorQuery}, TFF
 * {@code DifferentiallyPrivateFactory.gaussian_adaptive}). Each participant reports {@code b_i = 1[||Delta_i|| <= C_t]};
 * the server releases the noised fraction
 * {@code b~ = clamp((sum_S (b_i - 1/2) + N(0, sigma_b^2)) / m + 1/2, 0, 1)} and moves the clip towards the target
 * quantile gamma geometrically, {@code C_{t+1} = C_t exp(-eta (b~ - gamma))}. The references' arithmetic option
 * {@code C_{t+1} = max(0, C_t - eta (b~ - gamma))} is left out: it can reach a clip of 0, which no update transform
 * can carry (0 means "no clipping" in an update spec).
 *
 * <p>The count has sensitivity 1/2, so its release is a Gaussian mechanism with multiplier {@code 2 sigma_b}. Both
 * releases see the same sampled participants, and together they cost what one with multiplier z costs when the
 * update sum's multiplier is {@link #valueNoiseMultiplier z_Delta = (z^-2 - (2 sigma_b)^-2)^(-1/2)}: the accountant
 * charges z per round.
 *
 * @param targetQuantile     gamma, the share of updates to leave unclipped, in [0, 1]
 * @param learningRate       eta, > 0
 * @param clippedCountStddev sigma_b, > 0 (TFF: m/20)
 */
public record AdaptiveClipping(double targetQuantile, double learningRate, double clippedCountStddev) {

    /** TFF's defaults: initial clip 0.1 (set with the clip norm), gamma 0.5, eta 0.2, sigma_b = m/20. */
    public static final double DEFAULT_INITIAL_CLIP = 0.1;
    public static final double DEFAULT_TARGET_QUANTILE = 0.5;
    public static final double DEFAULT_LEARNING_RATE = 0.2;

    public AdaptiveClipping {
        if (!(targetQuantile >= 0 && targetQuantile <= 1)) {
            throw new IllegalArgumentException("privacy.targetQuantile must be in [0, 1], got " + targetQuantile);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("privacy.clipLearningRate must be finite and > 0, got " + learningRate);
        }
        if (!(clippedCountStddev > 0) || Double.isInfinite(clippedCountStddev)) {
            throw new IllegalArgumentException("privacy.clippedCountStddev must be finite and > 0, got "
                    + clippedCountStddev);
        }
    }

    /** TFF's default sigma_b for {@code expectedParticipants} (m) per round: m / 20. */
    public static double defaultClippedCountStddev(double expectedParticipants) {
        return expectedParticipants / 20;
    }

    /**
     * The update sum's noise multiplier when the whole round is to cost multiplier {@code z}:
     * {@code (z^-2 - (2 sigma_b)^-2)^(-1/2)}; 0 for z = 0.
     *
     * @throws IllegalArgumentException when {@code z >= 2 sigma_b} (the count alone would cost more than z)
     */
    public double valueNoiseMultiplier(double z) {
        if (z == 0) {
            return 0;
        }
        double countMultiplier = 2 * clippedCountStddev;
        if (!(z < countMultiplier)) {
            throw new IllegalArgumentException("privacy.noiseMultiplier " + z + " must be below 2 * clippedCountStddev = "
                    + countMultiplier + " for adaptive clipping: the clipped count alone would cost more");
        }
        return 1 / Math.sqrt(1 / (z * z) - 1 / (countMultiplier * countMultiplier));
    }

    /**
     * The released fraction of unclipped updates, {@code clamp((unclipped - count/2 + noise) / m + 1/2, 0, 1)}.
     *
     * @param unclipped   sum of b_i over the round's participants
     * @param count       the round's participants
     * @param denominator m (the round's denominator)
     * @param noise       a draw of N(0, sigma_b^2)
     */
    public static double noisedFraction(double unclipped, int count, double denominator, double noise) {
        return Math.clamp((unclipped - count / 2.0 + noise) / denominator + 0.5, 0.0, 1.0);
    }

    /** The next round's clip from this round's and the released fraction: positive whenever {@code clip} is. */
    public double nextClip(double clip, double noisedFraction) {
        return clip * Math.exp(-learningRate * (noisedFraction - targetQuantile));
    }
}
