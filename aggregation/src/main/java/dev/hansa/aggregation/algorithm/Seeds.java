package dev.hansa.aggregation.algorithm;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** Seed derivation and the one generator algorithm Hansa's strategies use (specified by the JDK, so stable). */
final class Seeds {

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");

    private Seeds() {
    }

    /** A generator whose stream depends only on {@code seed} (L64X128MixRandom). */
    static RandomGenerator generator(long seed) {
        return FACTORY.create(seed);
    }

    /**
     * The seed of client {@code clientId} in the round whose seed is {@code roundSeed}: FNV-1a of the id's UTF-8
     * bytes mixed with the round seed through the SplitMix64 finaliser, so it does not depend on list order.
     */
    static long forClient(long roundSeed, String clientId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : clientId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(roundSeed ^ mix(h));
    }

    /** The SplitMix64 output function (a bijection on 64-bit values). */
    static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
