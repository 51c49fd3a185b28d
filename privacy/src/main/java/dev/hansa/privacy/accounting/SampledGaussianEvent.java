package dev.hansa.privacy.accounting;

/**
 * One phase of training as the accountant sees it: {@code steps} rounds of the sampled Gaussian mechanism, each with
 * Poisson sampling rate {@code q} and noise multiplier {@code sigma} (noise standard deviation over the L2 clip).
 * Immutable, so a stored event always means the same thing.
 *
 * @param q     sampling rate, in [0, 1]
 * @param sigma noise multiplier, &gt;= 0 (0 means no noise: infinite RDP unless q = 0)
 * @param steps number of rounds, &gt;= 0
 */
public record SampledGaussianEvent(double q, double sigma, long steps) {

    /** @throws IllegalArgumentException naming the parameter that is out of range or NaN */
    public SampledGaussianEvent {
        Require.probability("q", q);
        Require.nonNegative("sigma", sigma);
        Require.nonNegative("steps", steps);
    }

    /** RDP of the whole phase at each order: one step's RDP times the steps (identical steps compose additively). */
    public double[] rdp(RdpOrders orders) {
        double[] rdp = new double[orders.size()];
        if (steps == 0) {
            return rdp;
        }
        for (int k = 0; k < rdp.length; k++) {
            rdp[k] = steps * SampledGaussianRdp.rdp(q, sigma, orders.get(k));
        }
        return rdp;
    }
}
