package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;

/**
 * {@value #NAME}, the mean around the median (Xie, Koyejo and Gupta, "Generalized Byzantine-tolerant SGD", 2018): per
 * coordinate, the mean of the n - f values closest to the coordinate's median (for an even count the mean of the two
 * middle values), unweighted as in ByzFL's {@code Meamed}. Those values are a run of the sorted column, found by
 * dropping the farther end f times; where the two ends are equally far the upper one is dropped (ByzFL leaves that
 * tie to {@code argpartition}). Reads the batch in column blocks ({@link ColumnSorter}).
 */
public final class Meamed extends TolerantRule {

    public static final String NAME = "meamed";

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1}. */
    public Meamed(int f) {
        super(NAME, f);
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        return ColumnSorter.reduce(batch, ColumnSorter.allRows(n), SortingNetwork.full(n),
                (sorted, width, from, out) -> {
                    for (int j = 0; j < width; j++) {
                        out[from + j] = meanAroundMedian(sorted, n, j);
                    }
                });
    }

    /** Column j's mean of the n - f sorted values closest to its median, dropping the farther end f times. */
    private double meanAroundMedian(float[][] sorted, int n, int j) {
        double median = CoordinateMedian.middleValue(sorted, n, j);
        int lo = 0;
        int hi = n - 1;
        for (int dropped = 0; dropped < f; dropped++) {
            if (median - sorted[lo][j] > sorted[hi][j] - median) {
                lo++;
            } else {
                hi--;
            }
        }
        double sum = 0;
        for (int i = lo; i <= hi; i++) {
            sum += sorted[i][j];
        }
        return sum / (hi - lo + 1);
    }
}
