package dev.hansa.aggregation.aggregate;

import java.util.Arrays;

/**
 * A statistic of each coordinate's sorted values, over a batch read in blocks of
 * {@value CoordinateMedian#COLUMNS_PER_READ} columns: the pass of the coordinate-wise rules, whose extra memory is n
 * times the block width.
 */
final class SortedColumns {

    /** A statistic of one coordinate's n values, sorted ascending (the array is reused). */
    @FunctionalInterface
    interface Statistic {
        double of(float[] sorted);
    }

    private SortedColumns() {
    }

    /** {@code out[j]} = the statistic of column j. */
    static double[] apply(UpdateBatch batch, Statistic statistic) {
        int n = batch.size();
        int d = batch.dimension();
        double[] out = new double[d];
        int width = Math.max(1, Math.min(d, CoordinateMedian.COLUMNS_PER_READ));
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
                out[from + j] = statistic.of(column);
            }
        }
        return out;
    }

    /** The median of sorted values: for an even count the mean of the two middle ones. */
    static double median(float[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : ((double) sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
