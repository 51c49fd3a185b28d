package dev.hansa.aggregation.architecture;

import java.util.SplittableRandom;

/** PyTorch's default initialisation of {@code nn.Linear} and {@code nn.Conv2d}, drawn from a seeded stream. */
final class TorchInit {

    private TorchInit() {
    }

    /**
     * Fills a layer's weights (outputs x fanIn) then its biases (outputs) from {@code at} with U(-1/sqrt(fanIn),
     * 1/sqrt(fanIn)) (kaiming_uniform with a = sqrt(5) for the weights comes to that bound); returns the next index.
     */
    static int layer(float[] values, int at, int outputs, int fanIn, SplittableRandom random) {
        double bound = 1 / Math.sqrt(fanIn);
        int count = outputs * fanIn + outputs;
        for (int i = 0; i < count; i++) {
            values[at++] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return at;
    }
}
