package dev.hansa.aggregation.aggregate;

/**
 * {@value #NAME}, the mean around the median (Xie, Koyejo and Gupta, "Generalized Byzantine-tolerant SGD", 2018): per
 * coordinate, the mean of the n - f values closest to the coordinate's median (for an even count the mean of the two
 * middle values), unweighted as in ByzFL's {@code Meamed}. Those values are a run of the sorted column, found by
 * dropping the farther end f times; where the two ends are equally far the upper one is dropped (ByzFL leaves that
 * tie to {@code argpartition}). Reads the batch in column blocks ({@link SortedColumns}).
 */
public final class Meamed implements WholeRoundAggregator {

    public static final String NAME = "meamed";

    private final int f;

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1}. */
    public Meamed(int f) {
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
        return SortedColumns.apply(batch, this::meanAroundMedian);
    }

    private double meanAroundMedian(float[] sorted) {
        double median = SortedColumns.median(sorted);
        int lo = 0;
        int hi = sorted.length - 1;
        for (int dropped = 0; dropped < f; dropped++) {
            if (median - sorted[lo] > sorted[hi] - median) {
                lo++;
            } else {
                hi--;
            }
        }
        double sum = 0;
        for (int i = lo; i <= hi; i++) {
            sum += sorted[i];
        }
        return sum / (hi - lo + 1);
    }
}
