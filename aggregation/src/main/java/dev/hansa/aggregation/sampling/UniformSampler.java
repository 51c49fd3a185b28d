package dev.hansa.aggregation.sampling;

import dev.hansa.aggregation.random.Draws;
import java.util.ArrayList;
import java.util.List;

/**
 * Uniform sampling without replacement (McMahan et al. 2017): {@code m = clamp(ceil(fraction * N), minClients,
 * maxClients)}, never more than N, and exactly m distinct candidates drawn uniformly (partial Fisher-Yates).
 */
public final class UniformSampler implements ClientSampler {

    private final double fraction;
    private final int minClients;
    private final int maxClients;

    /**
     * @param fraction   share of the candidates to take, in (0, 1]
     * @param minClients lower bound on m, >= 1
     * @param maxClients upper bound on m, >= minClients
     */
    public UniformSampler(double fraction, int minClients, int maxClients) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("clientFraction must be in (0, 1], got " + fraction);
        }
        if (minClients < 1) {
            throw new IllegalArgumentException("minClients must be >= 1, got " + minClients);
        }
        if (maxClients < minClients) {
            throw new IllegalArgumentException("maxClients must be >= minClients (" + minClients + "), got " + maxClients);
        }
        this.fraction = fraction;
        this.minClients = minClients;
        this.maxClients = maxClients;
    }

    /** Number of participants for {@code n} candidates. */
    public int sampleSize(int n) {
        // The epsilon keeps e.g. 0.1 * 30 = 3.0000000000000004 from rounding up to 4.
        long wanted = (long) Math.ceil(fraction * n - 1e-9);
        return (int) Math.min(n, Math.max(minClients, Math.min(maxClients, wanted)));
    }

    @Override
    public List<String> sample(List<String> candidates, long seed) {
        int[] chosen = Draws.distinctSorted(candidates.size(), sampleSize(candidates.size()), seed);
        List<String> out = new ArrayList<>(chosen.length);
        for (int i : chosen) {
            out.add(candidates.get(i));
        }
        return List.copyOf(out);
    }
}
