package dev.hansa.privacy.accounting;

/**
 * The inverse problem users have: the smallest noise multiplier sigma for which {@code steps} rounds of the sampled
 * Gaussian mechanism at rate q stay within a target (epsilon, delta).
 *
 * <p>Epsilon falls as sigma grows, so the planner brackets the answer by doubling sigma from 1 (or halving the
 * bracket's low end to 0) and then bisects until the bracket [lo, hi] is narrower than {@code relativeTolerance}
 * times hi. It returns hi, whose epsilon meets the target; every sigma below hi(1 - tolerance) misses it (the
 * answer errs on the safe side, as Google's DP library's Gaussian calibration does). A target that the doubling
 * has not met once sigma reaches {@link #MAX_SIGMA} (in fact 2^20, the first power of 2 above it) is refused: the
 * orders' list bounds how small epsilon gets until the divergence falls below delta^2.
 */
public final class NoiseMultiplierPlanner {

    /** Beyond this no federation would learn anything; a target it misses is treated as unreachable. */
    public static final double MAX_SIGMA = 1e6;
    /** The default relative width of the final bracket. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private final RdpOrders orders;
    private final RdpConversion conversion;
    private final double relativeTolerance;

    public NoiseMultiplierPlanner(RdpOrders orders, RdpConversion conversion, double relativeTolerance) {
        if (orders == null || conversion == null) {
            throw new IllegalArgumentException("orders and conversion must not be null");
        }
        if (!(relativeTolerance > 0 && relativeTolerance < 1)) {
            throw new IllegalArgumentException("relativeTolerance must be in (0, 1), got " + relativeTolerance);
        }
        this.orders = orders;
        this.conversion = conversion;
        this.relativeTolerance = relativeTolerance;
    }

    /** Opacus' orders, the improved conversion and {@link #DEFAULT_TOLERANCE}. */
    public NoiseMultiplierPlanner() {
        this(RdpOrders.OPACUS, RdpConversion.IMPROVED, DEFAULT_TOLERANCE);
    }

    /**
     * The noise multiplier for {@code steps} rounds at sampling rate {@code q} that reaches {@code targetEpsilon} at
     * {@code delta}; 0 when nothing is released (q = 0 or steps = 0).
     *
     * @throws IllegalArgumentException naming the parameter for bad input, and naming targetEpsilon when no
     *                                  sigma up to {@link #MAX_SIGMA} meets it
     */
    public double noiseMultiplier(double q, long steps, double targetEpsilon, double delta) {
        Require.probability("q", q);
        Require.nonNegative("steps", steps);
        Require.positiveFinite("targetEpsilon", targetEpsilon);
        Require.delta("delta", delta);
        if (q == 0 || steps == 0) {
            return 0;
        }
        double lo = 0;
        double hi = 1;
        for (double reached = epsilon(q, hi, steps, delta); reached > targetEpsilon;
                reached = epsilon(q, hi, steps, delta)) {
            if (hi >= MAX_SIGMA) {
                throw new IllegalArgumentException("targetEpsilon " + targetEpsilon + " cannot be met at delta "
                        + delta + " with these orders: even sigma = " + hi + " gives epsilon " + reached);
            }
            lo = hi;
            hi *= 2;
        }
        while (hi - lo > relativeTolerance * hi) {
            double mid = 0.5 * (lo + hi);
            if (epsilon(q, mid, steps, delta) > targetEpsilon) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** The epsilon that {@code steps} rounds at (q, sigma) spend at {@code delta}, as this planner measures it. */
    public double epsilon(double q, double sigma, long steps, double delta) {
        return conversion.convert(orders, new SampledGaussianEvent(q, sigma, steps).rdp(orders), delta).epsilon();
    }
}
