package dev.hansa.aggregation.aggregate;

import java.util.Arrays;

/**
 * {@value #NAME}: the coordinate-wise median of the round's updates (Yin et al., ICML 2018), unweighted as in ByzFL
 * and Flower; for an even count the mean of the two middle values. Tolerates fewer than half of the updates being
 * arbitrary. Reads the batch in blocks of columns, so its extra memory is n x {@value #COLUMNS_PER_READ} values.
 */
public final class CoordinateMedian implements WholeRoundAggregator {

    public static final String NAME = "median";
    /** Columns read per block of the batch. */
    static final int COLUMNS_PER_READ = 1024;

    private final int f;

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1}. */
    public CoordinateMedian(int f) {
        this.f = f;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int minUpdates() {
        return 2 * f + 1;
    }

    @Override
    public String requirement() {
        return "n > 2f";
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        int d = batch.dimension();
        double[] out = new double[d];
        int width = Math.max(1, Math.min(d, COLUMNS_PER_READ));
        float[] block = new float[n * width];
        float[] column = new float[n];
        for (int from = 0; from < d; from += width) {
            int w = Math.min(width, d - from);
            batch.readColumns(from, from + w, block);
            for (int j = 0; j < w; j++) {
                for (int i = 0; i < n; i++) {
                    column[i] = block[i * w + j];
                }
                Arrays.sort(column);
                out[from + j] = n % 2 == 1 ? column[n / 2] : ((double) column[n / 2 - 1] + column[n / 2]) / 2;
            }
        }
        return out;
    }
}
