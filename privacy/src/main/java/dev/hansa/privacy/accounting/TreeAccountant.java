package dev.hansa.privacy.accounting;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The privacy of DP-FTRL over its trees: zCDP composes by addition, so trees restarted one after another (each with
 * its own participation bound) cost {@code rho = sum_k zeta_k / (2 sigma_k^2)}, and {@code RDP(alpha) = alpha rho}
 * is converted to (epsilon, delta) over fixed orders (TF-Privacy {@code compute_rdp_tree_restart} and
 * {@code compute_rdp_single_tree}, DP_MORE 1.7 A and C). Immutable, like {@link RdpAccountant}.
 */
public final class TreeAccountant {

    private final RdpOrders orders;
    private final RdpConversion conversion;
    private final List<TreeAggregationEvent> trees;
    private final double rho;

    private TreeAccountant(RdpOrders orders, RdpConversion conversion, List<TreeAggregationEvent> trees, double rho) {
        this.orders = orders;
        this.conversion = conversion;
        this.trees = trees;
        this.rho = rho;
    }

    /** Nothing spent, converting over {@code orders} with {@code conversion}. */
    public static TreeAccountant empty(RdpOrders orders, RdpConversion conversion) {
        if (orders == null || conversion == null) {
            throw new IllegalArgumentException("orders and conversion must not be null");
        }
        return new TreeAccountant(orders, conversion, List.of(), 0);
    }

    /** TF-Privacy's orders (1.1, ..., 10.9, 12, ..., 63) and the improved conversion. */
    public static TreeAccountant empty() {
        return empty(RdpOrders.OPACUS, RdpConversion.IMPROVED);
    }

    /** This accountant with one more tree composed. */
    public TreeAccountant compose(TreeAggregationEvent tree) {
        if (tree == null) {
            throw new IllegalArgumentException("tree must not be null");
        }
        List<TreeAggregationEvent> all = new ArrayList<>(trees);
        all.add(tree);
        return new TreeAccountant(orders, conversion, Collections.unmodifiableList(all), rho + tree.rho());
    }

    /** The zCDP parameter of every tree composed. */
    public double rho() {
        return rho;
    }

    /** The RDP at each order: {@code alpha rho}. */
    public double[] rdp() {
        double[] rdp = new double[orders.size()];
        for (int k = 0; k < rdp.length; k++) {
            rdp[k] = rho == 0 ? 0 : orders.get(k) * rho;
        }
        return rdp;
    }

    /** The (epsilon, delta) guarantee at {@code delta}. */
    public PrivacySpent spent(double delta) {
        return conversion.convert(orders, rdp(), delta);
    }

    public double epsilon(double delta) {
        return spent(delta).epsilon();
    }

    /**
     * The smallest noise multiplier (to 1e-6 relative, rounded up) whose trees, of total squared sensitivity
     * {@code squaredSensitivity}, stay within {@code targetEpsilon} at {@code delta} with this accountant's orders
     * and conversion: epsilon grows with {@code rho = zeta / (2 sigma^2)}, so bisection on sigma finds it.
     *
     * @throws IllegalArgumentException when no multiplier up to 10^6 is enough
     */
    public double noiseMultiplier(long squaredSensitivity, double targetEpsilon, double delta) {
        Require.positiveFinite("targetEpsilon", targetEpsilon);
        Require.delta("delta", delta);
        double low = 1e-6;
        double high = 1e6;
        if (epsilonAt(squaredSensitivity, high, delta) > targetEpsilon) {
            throw new IllegalArgumentException("targetEpsilon " + targetEpsilon + " needs a noise multiplier above "
                    + high);
        }
        while (high - low > 1e-6 * high) {
            double mid = Math.sqrt(low * high);
            if (epsilonAt(squaredSensitivity, mid, delta) > targetEpsilon) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    private double epsilonAt(long squaredSensitivity, double sigma, double delta) {
        double r = squaredSensitivity / (2 * sigma * sigma);
        double[] rdp = new double[orders.size()];
        for (int k = 0; k < rdp.length; k++) {
            rdp[k] = orders.get(k) * r;
        }
        return conversion.convert(orders, rdp, delta).epsilon();
    }

    public List<TreeAggregationEvent> trees() {
        return trees;
    }
}
