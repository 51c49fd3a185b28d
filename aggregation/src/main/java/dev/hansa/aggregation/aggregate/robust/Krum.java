package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;

/**
 * {@value #NAME} (Blanchard et al., "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent", NeurIPS
 * 2017), in the paper's form: the update with the lowest score {@code s(i) = sum_{j in N_i} ||x_i - x_j||^2}, N_i
 * the n - f - 2 updates nearest to x_i (squared distances; x_i itself not counted). The output is that update, as it
 * arrived: unweighted, like the paper, ByzFL and Flower. Needs n > 2f + 2.
 *
 * <p>Where the references differ: ByzFL scores with n - f - 1 neighbours (the mean of squared distances, the same
 * ranking as their sum); LPD's code with n - f - 1 and unsquared distances; Flower with max(1, n - f - 2), which is
 * the paper's count wherever the bound n > 2f + 2 holds. Hansa's {@code krum} is the paper's, as Flower's.
 *
 * <p>Scores come from the batch's {@link RowGeometry} (one Gram GEMM); the update data is read once more, by
 * {@link UpdateBatch#combine} with a unit coefficient vector. Ties: of equal lowest scores the first update in
 * participant order wins.
 */
public final class Krum extends TolerantRule {

    public static final String NAME = "krum";

    public Krum(int f) {
        super(NAME, f, 2, 3, "n > 2f + 2");
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        int winner = KrumScores.lowest(scores(batch, f));
        double[] unit = new double[n];
        unit[winner] = 1;
        return batch.combine(unit);
    }

    /** Every row's score with the paper's n - f - 2 neighbours (Multi-Krum ranks by these too). */
    static double[] scores(UpdateBatch batch, int f) {
        int n = batch.size();
        return new KrumScores(batch.geometry().squaredDistances()).scores(ColumnSorter.allRows(n), n - f - 2);
    }
}
