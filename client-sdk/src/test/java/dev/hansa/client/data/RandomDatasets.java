package dev.hansa.client.data;

import java.util.SplittableRandom;

/** Small random datasets for trainer tests: features uniform in [-1, 1), labels uniform over the classes. */
public final class RandomDatasets {

    private RandomDatasets() {
    }

    public static Dataset uniform(int n, int features, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new Dataset(x, y, features, classes);
    }
}
