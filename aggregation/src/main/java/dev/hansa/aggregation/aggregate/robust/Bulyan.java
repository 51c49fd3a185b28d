package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Arrays;

/**
 * {@value #NAME} over Krum (El Mhamdi, Guerraoui and Rouault, "The Hidden Vulnerability of Distributed Learning in
 * Byzantium", ICML 2018), as the paper states it. Needs n >= 4f + 3.
 * <ol>
 *   <li>Selection: run {@link Krum} on the remaining updates, move its pick into the selection, and repeat until the
 *   selection holds theta = n - 2f updates.</li>
 *   <li>Per coordinate, of the theta selected values, average (unweighted) the beta = theta - 2f closest to their
 *   median (the mean of the two middle values for an even theta).</li>
 * </ol>
 *
 * <p>Where the references differ: LPD's {@code bulyan.py} selects n - 2f - 2 updates and averages n - 4f - 2 per
 * coordinate (and its pruning branch refers to an undefined variable); ByzFL ships no Bulyan. Hansa follows the
 * paper's theta and beta, as Flower's {@code aggregate_bulyan} does. The paper leaves one case open: in the last two
 * selections the remaining set holds 2f + 2 and then 2f + 1 updates, below Krum's own bound, and Krum's neighbour
 * count k - f - 2 on k remaining updates drops to f and then f - 1 (zero for f = 1, which would leave the pick to
 * participant order). Hansa scores with max(1, k - f - 2) neighbours (at most k - 1), as Flower does, so its
 * selections match Flower's.
 *
 * <p>Selection works on the batch's {@link RowGeometry}: the remaining set's distances are a sub-matrix of the round's,
 * so the n - 2f Krum runs cost no pass over the data (Flower recomputes every distance for each of them). The
 * coordinate phase reads the batch in column blocks ({@link ColumnSorter}), sorts each column of the selected rows
 * and takes the window of beta consecutive sorted values nearest to the median. Ties: a Krum tie goes to the first
 * remaining update in participant order; when the values entering and leaving the window are equally far from the
 * median, the window keeps the lower one.
 */
public final class Bulyan extends TolerantRule {

    public static final String NAME = "bulyan";

    public Bulyan(int f) {
        super(NAME, f, 4, 3, "n >= 4f + 3");
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int theta = batch.size() - 2 * f;
        int beta = theta - 2 * f;
        int[] selected = selection(batch.geometry(), f);
        return ColumnSorter.reduce(batch, selected, SortingNetwork.full(theta), (sorted, width, from, out) -> {
            for (int j = 0; j < width; j++) {
                double median = CoordinateMedian.middleValue(sorted, theta, j);
                // Slide the window [s, s + beta) up while the value leaving it is farther from the median than
                // the one entering; the distances' difference only falls as s grows, so the first stop is the best.
                int s = 0;
                while (s < theta - beta && median - sorted[s][j] > sorted[s + beta][j] - median) {
                    s++;
                }
                double sum = 0;
                for (int p = s; p < s + beta; p++) {
                    sum += sorted[p][j];
                }
                out[from + j] = sum / beta;
            }
        });
    }

    /** The theta = n - 2f rows Bulyan selects, in the order it selects them. */
    static int[] selection(RowGeometry geometry, int f) {
        int n = geometry.size();
        KrumScores scorer = new KrumScores(geometry.squaredDistances());
        int[] remaining = ColumnSorter.allRows(n);
        int[] selected = new int[n - 2 * f];
        for (int step = 0; step < selected.length; step++) {
            int k = n - step;
            int[] set = Arrays.copyOf(remaining, k);
            int pick = KrumScores.lowest(scorer.scores(set, Math.min(k - 1, Math.max(1, k - f - 2))));
            selected[step] = set[pick];
            System.arraycopy(remaining, pick + 1, remaining, pick, k - 1 - pick);
        }
        return selected;
    }
}
