package dev.hansa.privacy.accounting;

/**
 * ln Phi(x), the logarithm of the standard normal distribution function, accurate to a few ulps for every x,
 * including far in the lower tail where Phi(x) itself underflows (scipy.special.log_ndtr computes the same function).
 *
 * <p>Three regions:
 * <ul>
 *   <li>|x| &lt;= 1: Phi(x) = (1 + erf(x / sqrt(2)))/2, with erf from its series of positive terms (no cancellation,
 *       and Phi is not small there);</li>
 *   <li>x &lt; -1: ln Phi(x) = -x^2/2 - ln sqrt(2 pi) - ln F(-x), where F(z) = z + 1/(z + 2/(z + 3/(z + ...))) is
 *       Laplace's continued fraction for the inverse of Mills' ratio (1 - Phi(z))/phi(z), evaluated by the modified
 *       Lentz method. It converges for every z &gt; 0, needs fewer terms the larger z is (about 350 at z = 1, 7 at
 *       z = 30), and so covers the asymptotic range below -20 without a separate series;</li>
 *   <li>x &gt; 1: ln Phi(x) = log1p(-Phi(-x)) with Phi(-x) = phi(x)/F(x).</li>
 * </ul>
 */
public final class LogNdtr {

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    private static final double LN_SQRT_2PI = Math.log(SQRT_2PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    /** Lentz stops when a factor is within two ulps of 1. */
    private static final double CONVERGED = 4.5e-16;
    /** A bound on the loop only: for z &gt;= 1 the fraction converges within a few hundred terms. */
    private static final int MAX_TERMS = 100_000;

    private LogNdtr() {
    }

    /** ln Phi(x); NaN for NaN, 0 for +infinity, -infinity for -infinity. */
    public static double logNdtr(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < -1) {
            return logLowerTail(-x);
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0;
        }
        if (x > 1) {
            // Phi(-x) straight from phi(x) R(x): going through its logarithm would cost ulps of ln Phi(-x).
            return Math.log1p(-Math.exp(-0.5 * x * x) / (SQRT_2PI * millsDenominator(x)));
        }
        return Math.log(0.5 + 0.5 * erf(x / Math.sqrt(2)));
    }

    /** ln Phi(-z) for z &gt; 1, from Mills' ratio. */
    private static double logLowerTail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        return -0.5 * z * z - LN_SQRT_2PI - Math.log(millsDenominator(z));
    }

    /** F(z) = z + 1/(z + 2/(z + 3/(z + ...))) = phi(z)/Phi(-z), by the modified Lentz method. */
    private static double millsDenominator(double z) {
        double value = z;
        double c = z;
        double d = 0;
        for (int n = 1; n <= MAX_TERMS; n++) {
            // Every partial numerator and denominator is positive, so neither d nor c can vanish.
            d = 1 / (z + n * d);
            c = z + n / c;
            double factor = c * d;
            value *= factor;
            if (Math.abs(factor - 1) <= CONVERGED) {
                break;
            }
        }
        return value;
    }

    /** erf(t) = 2/sqrt(pi) e^(-t^2) sum_n t (2t^2)^n / (1 * 3 * ... * (2n + 1)), for |t| &lt;= 1/sqrt(2). */
    private static double erf(double t) {
        double twoT2 = 2 * t * t;
        double term = t;
        double sum = t;
        for (int n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= twoT2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-t * t) * sum;
    }
}
