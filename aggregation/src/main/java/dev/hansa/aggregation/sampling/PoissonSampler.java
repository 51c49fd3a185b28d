package dev.hansa.aggregation.sampling;

import java.util.List;

/**
 * Poisson sampling: every candidate takes part independently with probability q and an empty round stays empty
 * (never redrawn). This is the sampling the sampled-Gaussian privacy accountant assumes, so DP federations use it.
 */
public final class PoissonSampler implements ClientSampler {

    private final double q;

    /** @param q participation probability in (0, 1] */
    public PoissonSampler(double q) {
        this.q = SamplingRandom.checkProbability(q);
    }

    /** The sampling rate q the accountant needs. */
    public double rate() {
        return q;
    }

    @Override
    public List<String> sample(List<String> candidates, long seed) {
        return SamplingRandom.coins(candidates, q, seed);
    }
}
