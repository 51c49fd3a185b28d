package dev.hansa.aggregation.aggregate;

import java.util.Arrays;

/**
 * {@value #NAME}: the coordinate-wise median of the round's updates (Yin et al., ICML 2018), unweighted as in ByzFL
 * and Flower; for an even count the mean of the two middle values. Tolerates fewer than half of the updates being
 * arbitrary. Works column by column, so its extra memory is one column of n values.
 */
public final class CoordinateMedian implements WholeRoundAggregator {

    public static final String NAME = "median";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        double[] out = new double[batch.dimension()];
        float[] column = new float[n];
        for (int j = 0; j < out.length; j++) {
            for (int i = 0; i < n; i++) {
                column[i] = batch.rows().get(i)[j];
            }
            Arrays.sort(column);
            out[j] = n % 2 == 1 ? column[n / 2] : ((double) column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return out;
    }
}
