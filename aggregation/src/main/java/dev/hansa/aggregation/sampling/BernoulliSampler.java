package dev.hansa.aggregation.sampling;

import java.util.List;

/**
 * Bernoulli participation as in FL-Simulator: every candidate takes part independently with probability q; when
 * nobody is drawn the draw is repeated with seed {@code seed + 1}, {@code seed + 2}, ... until someone is (the
 * repository's {@code t + seed + inc}). Never empty for a non-empty candidate list, but the redraw biases the
 * distribution: use {@link PoissonSampler} when the sampling enters a privacy analysis.
 */
public final class BernoulliSampler implements ClientSampler {

    private final double q;

    /** @param q participation probability in (0, 1] */
    public BernoulliSampler(double q) {
        this.q = SamplingRandom.checkProbability(q);
    }

    @Override
    public List<String> sample(List<String> candidates, long seed) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        for (long inc = 0; ; inc++) {
            List<String> chosen = SamplingRandom.coins(candidates, q, seed + inc);
            if (!chosen.isEmpty()) {
                return chosen;
            }
        }
    }
}
