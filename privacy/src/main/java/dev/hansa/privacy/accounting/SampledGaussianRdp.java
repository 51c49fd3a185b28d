package dev.hansa.privacy.accounting;

/**
 * Renyi DP of one step of the sampled Gaussian mechanism: each record joins the batch independently with
 * probability q (Poisson sampling), the batch's sum of contributions clipped to L2 norm C gets Gaussian noise of
 * standard deviation sigma * C. Mironov, Talwar and Zhang 2019 (arXiv 1908.10530, section 3.3) give
 * RDP(alpha) = ln A_alpha / (alpha - 1), with A_alpha the alpha-th moment of the privacy loss, computed here
 * as Opacus ({@code opacus/accountants/analysis/rdp.py}) and TF-Privacy do; the formulas are spelt out in
 * docs/privacy.md.
 *
 * <p>Special cases, in this order: q = 0 gives 0; sigma = 0 gives +infinity; q = 1 is the plain Gaussian mechanism,
 * alpha/(2 sigma^2); alpha = +infinity gives +infinity. Integer orders sum the binomial expansion of
 * A_alpha exactly; fractional orders sum the two series of the paper's split at z0 = sigma^2 ln(1/q - 1) + 1/2
 * until both terms fall below e^-30 (Opacus' stopping rule). Everything is summed in log space.
 *
 * <p>Two choices that differ from Opacus only in the last bits: ln(1 - q) is {@code log1p(-q)}, and a result that
 * rounding makes negative (possible only when the true value is below about 1e-16) is returned as 0, since a
 * Renyi divergence is never negative.
 */
public final class SampledGaussianRdp {

    private SampledGaussianRdp() {
    }

    /**
     * RDP at order {@code alpha} of one step with sampling rate {@code q} and noise multiplier {@code sigma}.
     *
     * @throws IllegalArgumentException naming the parameter, for q outside [0, 1], sigma negative, alpha not above 1
     *                                  or above {@link RdpOrders#MAX_FINITE_ORDER} (and finite), or any NaN
     */
    public static double rdp(double q, double sigma, double alpha) {
        Require.probability("q", q);
        Require.nonNegative("sigma", sigma);
        Require.order("alpha", alpha);
        if (q == 0) {
            return 0;
        }
        if (sigma == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * sigma * sigma);
        }
        if (alpha == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        double logA = alpha == Math.rint(alpha)
                ? logAIntegerOrder(q, sigma, (long) alpha)
                : logAFractionalOrder(q, sigma, alpha);
        return Math.max(0, logA / (alpha - 1));
    }

    /** ln A_alpha = ln sum_{i = 0..alpha} C(alpha, i) q^i (1 - q)^(alpha - i) exp((i^2 - i)/(2 sigma^2)). */
    private static double logAIntegerOrder(double q, double sigma, long alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double twoSigmaSquared = 2 * sigma * sigma;
        double logA = Double.NEGATIVE_INFINITY;
        double logBinomial = 0;
        for (long i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinomial += Math.log((double) (alpha - i + 1) / i);
            }
            double term = logBinomial + i * logQ + (alpha - i) * logOneMinusQ + (i * (double) i - i) / twoSigmaSquared;
            logA = LogSpace.add(logA, term);
        }
        return logA;
    }

    /**
     * ln A_alpha = ln(A0 + A1) for fractional alpha, with, for i = 0, 1, 2, ... and j = alpha - i,
     * s0_i = |C(alpha, i)| q^i (1-q)^j exp((i^2 - i)/(2 sigma^2)) Phi((z0 - i)/sigma) and
     * s1_i = |C(alpha, i)| q^j (1-q)^i exp((j^2 - j)/(2 sigma^2)) Phi((j - z0)/sigma), added to A0 and A1
     * when the generalised binomial coefficient C(alpha, i) is positive and subtracted when it is negative.
     * Phi((z0 - i)/sigma) is the paper's erfc((i - z0)/(sqrt(2) sigma))/2 written without the sqrt(2) round
     * trip.
     */
    private static double logAFractionalOrder(double q, double sigma, double alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double twoSigmaSquared = 2 * sigma * sigma;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double logAbsBinomial = 0;
        boolean positive = true;
        for (int i = 0; ; i++) {
            if (i > 0) {
                // C(alpha, i) = C(alpha, i - 1) (alpha - i + 1) / i; the sign flips once i passes alpha + 1.
                double ratio = (alpha - i + 1) / i;
                logAbsBinomial += Math.log(Math.abs(ratio));
                positive ^= ratio < 0;
            }
            double j = alpha - i;
            double logS0 = logAbsBinomial + i * logQ + j * logOneMinusQ + (i * (double) i - i) / twoSigmaSquared
                    + LogNdtr.logNdtr((z0 - i) / sigma);
            double logS1 = logAbsBinomial + j * logQ + i * logOneMinusQ + (j * j - j) / twoSigmaSquared
                    + LogNdtr.logNdtr((j - z0) / sigma);
            if (positive) {
                logA0 = LogSpace.add(logA0, logS0);
                logA1 = LogSpace.add(logA1, logS1);
            } else {
                logA0 = LogSpace.subtract(logA0, logS0);
                logA1 = LogSpace.subtract(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) {
                return LogSpace.add(logA0, logA1);
            }
        }
    }
}
