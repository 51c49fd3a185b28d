package dev.hansa.privacy.accounting;

/**
 * How an RDP guarantee (alpha, r) becomes an (epsilon, delta) guarantee. Both bounds are minimised over the
 * orders with dp_accounting's edge rules ({@code rdp_privacy_accountant.compute_epsilon}): an order with
 * delta^2 + expm1(-r) &gt;= 0 gives epsilon = 0 (the bound through the KL divergence,
 * delta &lt;= sqrt(1 - e^-r)); otherwise only orders above 1.01 are used (the bounds are unstable as
 * alpha near 1 and useless there); the minimum is clamped at 0, and ties go to the first order.
 */
public enum RdpConversion {

    /** Mironov 2017, Proposition 3: epsilon = r + ln(1/delta)/(alpha - 1). */
    CLASSIC {
        @Override
        double bound(double order, double rdp, double delta) {
            return rdp - Math.log(delta) / (order - 1);
        }
    },

    /**
     * Balle et al. 2020, Theorem 21 (= Canonne, Kamath and Steinke 2020, Proposition 12), used by Opacus and
     * dp_accounting: epsilon = r + ln((alpha - 1)/alpha) - (ln delta + ln alpha)/(alpha - 1). Never
     * larger than the classic bound.
     */
    IMPROVED {
        @Override
        double bound(double order, double rdp, double delta) {
            return rdp + Math.log1p(-1 / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
        }
    };

    private static final double MIN_ORDER = 1.01;

    /** The bound at one order, r finite and alpha &gt; 1.01. */
    abstract double bound(double order, double rdp, double delta);

    /**
     * The smallest epsilon over {@code orders} for the RDP values {@code rdp} (aligned with the orders) at
     * {@code delta}, and the order that gives it.
     *
     * @throws IllegalArgumentException for delta outside (0, 1), an RDP value that is negative or NaN, or lengths
     *                                  that differ
     */
    public PrivacySpent convert(RdpOrders orders, double[] rdp, double delta) {
        Require.delta("delta", delta);
        if (rdp.length != orders.size()) {
            throw new IllegalArgumentException(
                    "rdp has " + rdp.length + " values for " + orders.size() + " orders");
        }
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = Double.NaN;
        for (int k = 0; k < rdp.length; k++) {
            double epsilon = epsilonAt(orders.get(k), Require.nonNegative("rdp", rdp[k]), delta);
            if (epsilon < best) {
                best = epsilon;
                bestOrder = orders.get(k);
            }
        }
        return new PrivacySpent(Math.max(0, best), delta, bestOrder);
    }

    private double epsilonAt(double order, double rdp, double delta) {
        if (delta * delta + Math.expm1(-rdp) >= 0) {
            return 0;
        }
        if (order <= MIN_ORDER || rdp == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        return bound(order, rdp, delta);
    }
}
