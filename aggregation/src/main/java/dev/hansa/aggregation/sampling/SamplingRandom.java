package dev.hansa.aggregation.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** The generator and the independent-coin draw shared by the samplers. */
final class SamplingRandom {

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");

    private SamplingRandom() {
    }

    /** L64X128MixRandom seeded with {@code seed}: its algorithm is specified by the JDK, so draws are stable. */
    static RandomGenerator generator(long seed) {
        return FACTORY.create(seed);
    }

    /** Each candidate independently with probability {@code q}, one coin per candidate in list order. */
    static List<String> coins(List<String> candidates, double q, long seed) {
        RandomGenerator random = generator(seed);
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
