package dev.hansa.client.privacy;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Poisson sampling of a step's examples: each of the n examples joins independently with probability q, so the batch
 * size varies (and may be 0), as the sampled Gaussian mechanism's amplification assumes (Opacus's
 * {@code UniformWithReplacementSampler}).
 */
final class PoissonBatches {

    private final int examples;
    private final double rate;
    private final RandomGenerator random;
    private final int[] scratch;

    PoissonBatches(int examples, double rate, RandomGenerator random) {
        this.examples = examples;
        this.rate = rate;
        this.random = random;
        this.scratch = new int[examples];
    }

    /** The next step's example indices, ascending (a fresh array, possibly empty). */
    int[] next() {
        int size = 0;
        for (int i = 0; i < examples; i++) {
            if (random.nextDouble() < rate) {
                scratch[size++] = i;
            }
        }
        return Arrays.copyOf(scratch, size);
    }
}
