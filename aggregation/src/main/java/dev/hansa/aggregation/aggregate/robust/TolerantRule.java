package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.WholeRoundAggregator;

/**
 * A whole-round rule that tolerates f arbitrary updates in rounds of {@code n >= factor * f + constant}, the bound
 * its paper states: an honest majority {@code n > 2f} for the coordinate-wise median, the geometric median,
 * centered clipping, Meamed, MDA, CAF and SMEA ({@link #TolerantRule(String, int)}); Krum's {@code n > 2f + 2}; Bulyan's
 * {@code n >= 4f + 3}.
 */
abstract class TolerantRule implements WholeRoundAggregator {

    /** The Byzantine updates per round the rule tolerates. */
    protected final int f;
    private final String name;
    private final int factor;
    private final int constant;
    private final String requirement;

    TolerantRule(String name, int f, int factor, int constant, String requirement) {
        if (f < 0) {
            throw new IllegalArgumentException("robustness.f must be >= 0, got " + f);
        }
        this.name = name;
        this.f = f;
        this.factor = factor;
        this.constant = constant;
        this.requirement = requirement;
    }

    /** The honest-majority bound, {@code n > 2f}. */
    TolerantRule(String name, int f) {
        this(name, f, 2, 1, "n > 2f");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int minUpdates() {
        return Math.toIntExact((long) factor * f + constant);
    }

    @Override
    public final String requirement() {
        return requirement;
    }
}
