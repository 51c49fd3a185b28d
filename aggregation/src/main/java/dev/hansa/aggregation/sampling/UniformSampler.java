package dev.hansa.aggregation.sampling;

import dev.hansa.aggregation.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

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
        int n = candidates.size();
        int m = sampleSize(n);
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        RandomGenerator random = Seeds.generator(seed);
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        int[] chosen = Arrays.copyOf(index, m);
        Arrays.sort(chosen);
        List<String> out = new ArrayList<>(m);
        for (int i : chosen) {
            out.add(candidates.get(i));
        }
        return List.copyOf(out);
    }
}
