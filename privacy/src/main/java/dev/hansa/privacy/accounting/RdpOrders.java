package dev.hansa.privacy.accounting;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The Renyi orders alpha at which an accountant tracks RDP; epsilon is the minimum of the conversion over
 * them, so the list decides how tight the bound can be. Immutable.
 */
public final class RdpOrders {

    /** Above this an integer order's sum (alpha + 1 terms) stops being cheap, and no useful bound lives there. */
    public static final double MAX_FINITE_ORDER = 100_000;

    /**
     * Opacus' {@code DEFAULT_ALPHAS}: 1.1, 1.2, ..., 10.9, then 12, ..., 63 (also TF-Privacy's older examples).
     * Computed as Opacus does, 1 + x/10, so that the orders are the same doubles.
     */
    public static final RdpOrders OPACUS = new RdpOrders(DoubleStream.concat(
            IntStream.rangeClosed(1, 99).mapToDouble(x -> 1 + x / 10.0),
            IntStream.rangeClosed(12, 63).mapToDouble(x -> x)).toArray());

    /**
     * dp_accounting's list ({@code compute_dp_sgd_privacy_lib}): 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5,
     * then 5, ..., 63, then 128, 256, 512. The large orders pay off for large noise.
     */
    public static final RdpOrders DP_ACCOUNTING = new RdpOrders(Stream.of(
            DoubleStream.of(1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5),
            IntStream.rangeClosed(5, 63).mapToDouble(x -> x),
            DoubleStream.of(128, 256, 512)).flatMapToDouble(s -> s).toArray());

    private final double[] orders;

    private RdpOrders(double[] orders) {
        if (orders.length == 0) {
            throw new IllegalArgumentException("orders must not be empty");
        }
        for (double order : orders) {
            Require.order("orders", order);
        }
        this.orders = orders;
    }

    /** The given orders, in the given sequence (ties in epsilon go to the first). */
    public static RdpOrders of(double... orders) {
        return new RdpOrders(orders.clone());
    }

    public int size() {
        return orders.length;
    }

    public double get(int index) {
        return orders[index];
    }

    public double[] toArray() {
        return orders.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RdpOrders that && Arrays.equals(orders, that.orders);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(orders);
    }

    @Override
    public String toString() {
        return "RdpOrders" + Arrays.toString(orders);
    }
}
