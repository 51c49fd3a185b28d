package dev.hansa.privacy.accounting;

/** Sums and differences of positive numbers held as their logarithms; -infinity stands for 0. */
final class LogSpace {

    private LogSpace() {
    }

    /** ln(e^a + e^b), factoring out the larger term so that nothing overflows. */
    static double add(double logA, double logB) {
        double low = Math.min(logA, logB);
        double high = Math.max(logA, logB);
        if (low == Double.NEGATIVE_INFINITY) {
            return high;
        }
        return Math.log1p(Math.exp(low - high)) + high;
    }

    /**
     * ln(e^a - e^b) for a >= b. A negative difference means the series that called it lost its accuracy, which must
     * not pass silently into a privacy claim.
     */
    static double subtract(double logA, double logB) {
        if (logA < logB) {
            throw new ArithmeticException("log-space difference would be negative: " + logA + " < " + logB);
        }
        if (logB == Double.NEGATIVE_INFINITY) {
            return logA;
        }
        if (logA == logB) {
            return Double.NEGATIVE_INFINITY;
        }
        double result = Math.log(Math.expm1(logA - logB)) + logB;
        // expm1 overflows only when e^b is negligible next to e^a.
        return Double.isInfinite(result) ? logA : result;
    }
}
