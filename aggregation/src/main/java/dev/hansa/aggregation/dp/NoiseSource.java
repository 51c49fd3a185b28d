package dev.hansa.aggregation.dp;

import dev.hansa.aggregation.random.Seeds;
import dev.hansa.privacy.noise.GaussianNoise;

/** Where a round's DP noise comes from, given the round's seed. */
@FunctionalInterface
public interface NoiseSource {

    /** The noise for the round whose seed is {@code roundSeed}. */
    GaussianNoise forRound(long roundSeed);

    /** A deployment's noise: bits from the operating system, unrelated to any seed. */
    NoiseSource SECURE = roundSeed -> GaussianNoise.secure();

    /**
     * Noise drawn from the round's seed, so a simulation repeats itself: for experiments only, since anyone who
     * knows the federation's seed can subtract it.
     */
    NoiseSource SEEDED = roundSeed -> GaussianNoise.seeded(Seeds.forClient(roundSeed, "privacy/noise"));
}
