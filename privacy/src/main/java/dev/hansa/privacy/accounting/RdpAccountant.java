package dev.hansa.privacy.accounting;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Renyi-DP accountant for the sampled Gaussian mechanism: the events composed so far and their RDP curve over
 * fixed orders. RDP composes by addition at each order, so phases whose q or sigma differ (heterogeneous rounds)
 * simply add. Immutable: {@link #compose} returns a new accountant, so a ledger can keep the accountant of every round
 * and a caller can ask "what if" without undoing anything.
 */
public final class RdpAccountant {

    private final RdpOrders orders;
    private final RdpConversion conversion;
    private final List<SampledGaussianEvent> events;
    private final double[] rdp;

    private RdpAccountant(RdpOrders orders, RdpConversion conversion, List<SampledGaussianEvent> events,
            double[] rdp) {
        this.orders = orders;
        this.conversion = conversion;
        this.events = events;
        this.rdp = rdp;
    }

    /** An accountant with nothing spent, tracking {@code orders} and converting with {@code conversion}. */
    public static RdpAccountant empty(RdpOrders orders, RdpConversion conversion) {
        if (orders == null || conversion == null) {
            throw new IllegalArgumentException("orders and conversion must not be null");
        }
        return new RdpAccountant(orders, conversion, List.of(), new double[orders.size()]);
    }

    /** Opacus' orders and the improved conversion: the combination Opacus' RDP accountant reports. */
    public static RdpAccountant empty() {
        return empty(RdpOrders.OPACUS, RdpConversion.IMPROVED);
    }

    /** This accountant with {@code event} composed after the events it holds. */
    public RdpAccountant compose(SampledGaussianEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        double[] added = event.rdp(orders);
        double[] total = rdp.clone();
        for (int k = 0; k < total.length; k++) {
            total[k] += added[k];
        }
        List<SampledGaussianEvent> all = new ArrayList<>(events);
        all.add(event);
        return new RdpAccountant(orders, conversion, Collections.unmodifiableList(all), total);
    }

    /** Shorthand for {@code compose(new SampledGaussianEvent(q, sigma, steps))}. */
    public RdpAccountant compose(double q, double sigma, long steps) {
        return compose(new SampledGaussianEvent(q, sigma, steps));
    }

    /** The (epsilon, delta) guarantee of everything composed so far, at {@code delta}. */
    public PrivacySpent spent(double delta) {
        return conversion.convert(orders, rdp, delta);
    }

    /** The epsilon of {@link #spent(double)}. */
    public double epsilon(double delta) {
        return spent(delta).epsilon();
    }

    public List<SampledGaussianEvent> events() {
        return events;
    }

    /** The composed RDP at each of {@link #orders()}. */
    public double[] rdp() {
        return rdp.clone();
    }

    public RdpOrders orders() {
        return orders;
    }

    public RdpConversion conversion() {
        return conversion;
    }
}
