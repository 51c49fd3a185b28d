package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.WholeRoundAggregator;

/**
 * A whole-round rule that tolerates f arbitrary updates given an honest majority, {@code n > 2f}: the bound of the
 * coordinate-wise median, the geometric median, centered clipping, Meamed, MDA, CAF and SMEA.
 */
abstract class MajorityRule implements WholeRoundAggregator {

    /** The Byzantine updates per round the rule tolerates. */
    protected final int f;

    MajorityRule(int f) {
        this.f = f;
    }

    @Override
    public final int minUpdates() {
        return 2 * f + 1;
    }

    @Override
    public final String requirement() {
        return "n > 2f";
    }
}
