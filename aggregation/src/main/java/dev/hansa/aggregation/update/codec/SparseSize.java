package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.InvalidValueException;

/**
 * How many coordinates a sparsifying codec keeps, as the {@code update.k} field states it: a fraction of the model in
 * (0, 1), or a count (an integer >= 1, capped at the model's size). A fraction f keeps {@code max(1, floor(f d +
 * 1/2))} of d coordinates: rounded, not ceiled, so that 0.07 of 100 is 7 in every language despite
 * {@code 0.07 * 100 = 7.000000000000001} in binary floating point.
 */
public record SparseSize(double k) {

    public SparseSize {
        check("update.k", k);
    }

    /** A size stated by the field {@code field} (e.g. {@code strategy.params.k}), which an error names. */
    public static SparseSize named(String field, double k) {
        check(field, k);
        return new SparseSize(k);
    }

    private static void check(String field, double k) {
        boolean fraction = k > 0 && k < 1;
        boolean count = k >= 1 && k <= Integer.MAX_VALUE && k == Math.rint(k);
        if (!fraction && !count) {
            throw new InvalidValueException(field, field + " must be a fraction in (0, 1) or a whole count >= 1, got "
                    + k);
        }
    }

    /** The number of coordinates kept of a model of {@code d} parameters. */
    public int of(int d) {
        long kept = k < 1 ? Math.max(1, (long) Math.floor(k * d + 0.5)) : (long) k;
        return (int) Math.min(kept, d);
    }
}
