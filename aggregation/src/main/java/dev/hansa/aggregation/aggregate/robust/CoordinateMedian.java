package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Arrays;

/**
 * {@value #NAME}: the coordinate-wise median of the round's updates (Yin et al., ICML 2018), unweighted as in ByzFL
 * and Flower; for an even count the mean of the two middle values. Tolerates fewer than half of the updates being
 * arbitrary. Reads the batch in blocks of columns ({@link ColumnSorter}) and sorts each column only as far as its
 * middle needs.
 */
public final class CoordinateMedian extends TolerantRule {

    public static final String NAME = "median";

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1}. */
    public CoordinateMedian(int f) {
        super(NAME, f);
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        return ColumnSorter.reduce(batch, ColumnSorter.allRows(n), middle(n), (sorted, width, from, out) -> {
            for (int j = 0; j < width; j++) {
                out[from + j] = middleValue(sorted, n, j);
            }
        });
    }

    /** A network that sorts k values only as far as their median needs (the one or two middle positions). */
    static SortingNetwork middle(int k) {
        int[] groups = new int[k];
        Arrays.fill(groups, -1);
        groups[(k - 1) / 2] = 0;
        groups[k / 2] = 0;
        return SortingNetwork.forGroups(groups);
    }

    /** The median of column j of k sorted rows: the middle value, or the mean of the two middle ones. */
    static double middleValue(float[][] sorted, int k, int j) {
        return k % 2 == 1 ? sorted[k / 2][j] : ((double) sorted[k / 2 - 1][j] + sorted[k / 2][j]) / 2;
    }
}
