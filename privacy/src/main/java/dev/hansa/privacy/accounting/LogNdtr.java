package dev.hansa.privacy.accounting;

/**
 * ln &Phi;(x), the logarithm of the standard normal distribution function, accurate to a few ulps for every x,
 * including far in the lower tail where &Phi;(x) underflows (scipy.special.log_ndtr computes the same function).
 *
 * <p>Three regions: for |x| &lt;= 1, &Phi;(x) = (1 + erf(x/&radic;2))/2 with erf from its series of positive terms
 * (no cancellation, and &Phi; is not small there); for x &lt; -1, ln &Phi;(x) = -x&sup2;/2 - ln &radic;(2&pi;) +
 * ln R(-x) with R(z) = (1 - &Phi;(z))/&phi;(z) Mills' ratio from Laplace's continued fraction
 * R(z) = 1/(z + 1/(z + 2/(z + 3/(z + ...)))), evaluated by the modified Lentz method, which converges for every z &gt; 0
 * and needs fewer terms the larger z is (it covers the asymptotic range below -20 without a separate series); for
 * x &gt; 1, ln &Phi;(x) = log1p(-&Phi;(-x)) with &Phi;(-x) = &phi;(x) R(x).
 */
public final class LogNdtr {

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    private static final double LN_SQRT_2PI = Math.log(SQRT_2PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    /** Lentz stops when a factor is within two ulps of 1. */
    private static final double CONVERGED = 4.5e-16;
    /** Near z = 1 the fraction needs a few hundred terms; this bound is never reached there. */
    private static final int MAX_TERMS = 100_000;
    private static final double TINY = 1e-300;

    private LogNdtr() {
    }

    /** ln &Phi;(x); NaN for NaN, 0 for +infinity, -infinity for -infinity. */
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

    /** ln &Phi;(-z) for z &gt; 1, from Mills' ratio. */
    private static double logLowerTail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        return -0.5 * z * z - LN_SQRT_2PI - Math.log(millsDenominator(z));
    }

    /** 1/R(z) = z + 1/(z + 2/(z + 3/(z + ...))), by the modified Lentz method. */
    private static double millsDenominator(double z) {
        double value = z;
        double c = z;
        double d = 0;
        for (int n = 1; n <= MAX_TERMS; n++) {
            d = z + n * d;
            d = 1 / (d == 0 ? TINY : d);
            c = z + n / c;
            c = c == 0 ? TINY : c;
            double factor = c * d;
            value *= factor;
            if (Math.abs(factor - 1) <= CONVERGED) {
                break;
            }
        }
        return value;
    }

    /** erf(t) = 2/&radic;&pi; e^(-t&sup2;) &Sigma; t (2t&sup2;)^n / (1&middot;3&middot;&middot;&middot;(2n+1)), for |t| &lt;= 1/&radic;2. */
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
