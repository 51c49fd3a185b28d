package dev.hansa.privacy.accounting;

/**
 * An (epsilon, delta) guarantee read off an RDP curve, with the order that gave it.
 *
 * @param epsilon the smallest epsilon over the orders, &gt;= 0; +infinity when no order gives a finite bound
 * @param delta   the delta it holds at
 * @param order   the optimal order; NaN when epsilon is infinite. When the optimum is the first or the last order of
 *                the list, a wider list may give a tighter bound (Opacus warns in that case).
 */
public record PrivacySpent(double epsilon, double delta, double order) {
}
