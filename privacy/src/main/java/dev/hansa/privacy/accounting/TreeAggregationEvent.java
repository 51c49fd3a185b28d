package dev.hansa.privacy.accounting;

/**
 * One aggregation tree of DP-FTRL as the accountant sees it: {@code leaves} steps whose node noise has multiplier
 * {@code sigma}, each client contributing to at most {@code maxParticipations} leaves with at least
 * {@code minSeparation} leaves between two. Neighbouring datasets replace one client's data by zeros (Kairouz et al.
 * 2021, Def. 1.1; dp_accounting's {@code REPLACE_SPECIAL}). The tree is a Gaussian mechanism with squared sensitivity
 * {@code zeta = }{@link TreeSensitivity#squared}, so it is {@code rho = zeta / (2 sigma^2)}-zCDP and
 * {@code RDP(alpha) = alpha rho}. Immutable.
 *
 * @param sigma             the node noise's standard deviation over the clip, >= 0 (0: no noise, infinite RDP)
 * @param leaves            the tree's steps so far, >= 0
 * @param maxParticipations contributions per client per tree, >= 1
 * @param minSeparation     steps between two contributions of a client, >= 0
 */
public record TreeAggregationEvent(double sigma, long leaves, int maxParticipations, int minSeparation) {

    /** @throws IllegalArgumentException naming the parameter that is out of range or NaN */
    public TreeAggregationEvent {
        Require.nonNegative("sigma", sigma);
        Require.nonNegative("leaves", leaves);
        if (maxParticipations < 1) {
            throw new IllegalArgumentException("maxParticipations must be >= 1, got " + maxParticipations);
        }
        if (minSeparation < 0) {
            throw new IllegalArgumentException("minSeparation must be >= 0, got " + minSeparation);
        }
    }

    /** A tree in which each client contributes at most once (TF-Privacy {@code compute_rdp_tree_restart}). */
    public static TreeAggregationEvent once(double sigma, long leaves) {
        return new TreeAggregationEvent(sigma, leaves, 1, 0);
    }

    /** The squared sensitivity zeta*, in units of the clip squared. */
    public long squaredSensitivity() {
        return TreeSensitivity.squared(leaves, maxParticipations, minSeparation);
    }

    /** The zCDP parameter {@code zeta / (2 sigma^2)}; +infinity without noise (unless the tree is empty). */
    public double rho() {
        long zeta = squaredSensitivity();
        if (zeta == 0) {
            return 0;
        }
        return sigma == 0 ? Double.POSITIVE_INFINITY : zeta / (2 * sigma * sigma);
    }
}
