package dev.hansa.privacy.accounting;

/** Argument checks shared by the accounting classes; every message names the parameter and the value it got. */
final class Require {

    private Require() {
    }

    /** A sampling rate: a probability in [0, 1]. */
    static double probability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
        return value;
    }

    /** A noise multiplier or a scale: finite or infinite, but not negative and not NaN. */
    static double nonNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** A count such as the number of steps. */
    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** A failure probability: strictly between 0 and 1 (delta = 0 has no finite epsilon, delta = 1 no meaning). */
    static double delta(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), got " + value);
        }
        return value;
    }

    /** A Renyi order: above 1 and at most {@link RdpOrders#MAX_FINITE_ORDER}, or +infinity. */
    static double order(String name, double value) {
        if (!(value > 1) || value > RdpOrders.MAX_FINITE_ORDER && value != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(
                    name + " must be > 1 and <= " + RdpOrders.MAX_FINITE_ORDER + " (or +infinity), got " + value);
        }
        return value;
    }

    /** A target epsilon: positive and finite. */
    static double positiveFinite(String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be > 0 and finite, got " + value);
        }
        return value;
    }
}
