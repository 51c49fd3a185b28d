package dev.hansa.aggregation.attack;

/**
 * The standard normal quantile {@code Phi^-1(p)}, for ALIE's z, to about 1e-15. It solves {@code Q(x) = q} for the
 * upper tail {@code q = min(p, 1 - p)} (exact in double) by Newton's method from the left, where Q = 1 - Phi is
 * convex and decreasing on [0, inf), so the iterates rise monotonically to the root. Up to x = 3 it uses
 * {@code 1/2 - Q(x) = phi(x) sum_k x^(2k+1) / (2k+1)!!}, a series of positive terms; beyond, the continued fraction
 * {@code Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...))))}, which keeps the tail's relative precision.
 */
final class NormalQuantile {

    private static final double INV_SQRT_2PI = 0.3989422804014327;
    /** Where the continued fraction takes over, and Q there. */
    private static final double TAIL_FROM = 3;
    private static final double TAIL_Q = 0.0013498980316300946;
    private static final int FRACTION_TERMS = 100;
    private static final int MAX_ITERATIONS = 1000;

    private NormalQuantile() {
    }

    static double of(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("the normal quantile needs p in (0, 1), got " + p);
        }
        return p > 0.5 ? upper(1 - p) : -upper(p);
    }

    /** The x >= 0 with Q(x) = q, for q in (0, 1/2]. */
    private static double upper(double q) {
        boolean tail = q < TAIL_Q;
        double x = tail ? TAIL_FROM : 0;
        for (int i = 0; i < MAX_ITERATIONS; i++) {
            double excess = tail ? tailQ(x) - q : (0.5 - q) - central(x);
            double step = excess / density(x);
            x += step;
            if (Math.abs(step) <= 1e-16 * (1 + x)) {
                break;
            }
        }
        return x;
    }

    /** {@code Phi(x) - 1/2} for x >= 0. */
    private static double central(double x) {
        double term = x;
        double sum = x;
        double x2 = x * x;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= x2 / (2 * k + 1);
            sum += term;
        }
        return density(x) * sum;
    }

    /** Q(x) for x >= 3. */
    private static double tailQ(double x) {
        double t = x;
        for (int k = FRACTION_TERMS; k >= 1; k--) {
            t = x + k / t;
        }
        return density(x) / t;
    }

    private static double density(double x) {
        return INV_SQRT_2PI * Math.exp(-x * x / 2);
    }
}
