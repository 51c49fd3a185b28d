package dev.hansa.privacy.mechanism;

/**
 * Client-side clipping of an update to L2 norm at most C, {@code u * min(1, C / ||u||)}: what bounds one client's
 * contribution to a round's sum, the sensitivity the noise is calibrated to. The norm is summed in double; after the
 * scaled values are rounded to float the norm is measured again and the scale shrunk until the result is within
 * C, so rounding never lets a contribution exceed the bound. An all-zero update (norm 0) is returned as it is,
 * never divided by its norm.
 */
public final class L2Clip {

    private L2Clip() {
    }

    /**
     * A clipped update.
     *
     * @param values the update, scaled when it was longer than the bound (a new array then, else the input)
     * @param norm   the L2 norm of the update before clipping
     * @param bound  the bound it was clipped to
     */
    public record Clipped(float[] values, double norm, double bound) {

        /** Whether the update was within the bound as it came: Andrew et al.'s {@code b_i}. */
        public boolean withinBound() {
            return norm <= bound;
        }
    }

    /** Clips {@code update} (read only) to L2 norm {@code bound}; bound 0 (where adaptive clipping can go) zeroes it. */
    public static Clipped clip(float[] update, double bound) {
        if (!(bound >= 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("clipNorm must be finite and >= 0, got " + bound);
        }
        double norm = norm(update);
        if (!Double.isFinite(norm)) {
            throw new IllegalArgumentException("the update is not finite (its L2 norm is " + norm + ")");
        }
        if (norm <= bound) {
            return new Clipped(update, norm, bound);
        }
        if (bound == 0) {
            return new Clipped(new float[update.length], norm, bound);
        }
        double scale = bound / norm;
        float[] out = new float[update.length];
        while (true) {
            for (int i = 0; i < update.length; i++) {
                out[i] = (float) (update[i] * scale);
            }
            if (norm(out) <= bound) {
                return new Clipped(out, norm, bound);
            }
            scale = Math.nextDown(scale * (1 - 0x1p-24));
        }
    }

    /** The L2 norm, summed in double. */
    public static double norm(float[] values) {
        double s = 0;
        for (float v : values) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
