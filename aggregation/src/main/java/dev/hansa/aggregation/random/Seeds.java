package dev.hansa.aggregation.random;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Every seed Hansa derives and the one generator algorithm its samplers and strategies draw from. Both are specified
 * exactly (L64X128MixRandom by the JDK, the mixer below by its constants), so the server, the simulation and any
 * other implementation that follows this page draw the same participants, roles and minibatches for the same seeds.
 */
public final class Seeds {

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long ATTEMPT_GAMMA = 0xbf58476d1ce4e5b9L;

    private Seeds() {
    }

    /** A generator whose stream depends only on {@code seed} (L64X128MixRandom). */
    public static RandomGenerator generator(long seed) {
        return FACTORY.create(seed);
    }

    /**
     * The seed of attempt {@code attempt} of round {@code round} (1-based) in a federation seeded with
     * {@code federationSeed}: it drives sampling, roles and every participant's seed for that attempt.
     */
    public static long forRound(long federationSeed, long round, int attempt) {
        return mix(federationSeed + GOLDEN_GAMMA * (round - 1) + ATTEMPT_GAMMA * attempt);
    }

    /**
     * The seed of client {@code clientId} in the round whose seed is {@code roundSeed}: FNV-1a of the id's UTF-8
     * bytes mixed with the round seed, so it does not depend on the order of the participant list.
     */
    public static long forClient(long roundSeed, String clientId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : clientId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(roundSeed ^ mix(h));
    }

    /** SplitMix64's step and output function: a bijection on 64-bit values. */
    public static long mix(long z) {
        z += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
