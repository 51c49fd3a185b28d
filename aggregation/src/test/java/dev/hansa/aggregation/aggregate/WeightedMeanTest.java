package dev.hansa.aggregation.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The held-back folding against one plain fold per update, bit for bit. */
class WeightedMeanTest {

    private static double[] sumOf(int updates, int n, boolean readHalfway) {
        SplittableRandom r = new SplittableRandom(3);
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {n}));
        StreamingAggregator.Accumulator acc = new WeightedMean().start(spec);
        double[] want = new double[n];
        for (int u = 0; u < updates; u++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) r.nextGaussian();
            }
            double w = r.nextDouble(0.1, 1000);
            acc.add(new Tensors(spec, x), w);
            for (int i = 0; i < n; i++) {
                want[i] += w * x[i];
            }
            if (readHalfway && u == updates / 2) {
                acc.sum(); // folds what is held; later updates still count
            }
        }
        double[] got = acc.sum();
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
                    updates + " updates, sum[" + i + "]");
        }
        return got;
    }

    @Test
    void heldBackUpdatesSumToTheBitsOfOneFoldEach() {
        for (int updates = 0; updates <= 9; updates++) {
            sumOf(updates, 1_000, false);
            sumOf(updates, 1_000, true);
        }
        sumOf(7, 300_000, false); // split across the shared pool's threads
    }

    @Test
    void holdsBackOnlyWhatFitsTheBound() {
        assertEquals(4, WeightedMean.groupSize(1_000_000), "4 MB updates: three held");
        assertEquals(4, WeightedMean.groupSize(1));
        assertEquals(2, WeightedMean.groupSize(WeightedMean.MAX_HELD_BYTES / Float.BYTES), "one held, 64 MiB");
        assertEquals(1, WeightedMean.groupSize(WeightedMean.MAX_HELD_BYTES / Float.BYTES + 1));
        assertEquals(1, WeightedMean.groupSize(500_000_000));
    }
}
