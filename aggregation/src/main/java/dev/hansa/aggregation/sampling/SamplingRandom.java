package dev.hansa.aggregation.sampling;

import dev.hansa.aggregation.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** The independent-coin draw shared by the Poisson and Bernoulli samplers. */
final class SamplingRandom {

    private SamplingRandom() {
    }

    /** Each candidate independently with probability {@code q}, one coin per candidate in list order. */
    static List<String> coins(List<String> candidates, double q, long seed) {
        RandomGenerator random = Seeds.generator(seed);
        List<String> chosen = new ArrayList<>();
        for (String c : candidates) {
            if (random.nextDouble() < q) {
                chosen.add(c);
            }
        }
        return List.copyOf(chosen);
    }

    static double checkProbability(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling probability must be in (0, 1], got " + q);
        }
        return q;
    }
}
