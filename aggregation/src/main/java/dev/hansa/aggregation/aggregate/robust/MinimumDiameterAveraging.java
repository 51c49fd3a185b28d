package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;

/**
 * {@value #NAME}, minimum-diameter averaging (El Mhamdi, Guerraoui, Guirguis, Hoang and Rouault, "Genuinely
 * Distributed Byzantine Machine Learning", PODC 2020): the plain mean of the n - f updates whose largest pairwise
 * distance is smallest. Exact, by a search over the (n - f)-subsets in lexicographic order that drops a partial
 * subset as soon as its diameter reaches the best found, so among subsets of equal diameter the first wins, as in
 * ByzFL's {@code MDA}. Distances come from the batch's {@link RowGeometry}, whose float Gram can split a tie of
 * exact arithmetic by rounding; the rows are read once, for the mean.
 *
 * <p>The search is exponential in f: a round whose C(n, f) exceeds {@value #MAX_SUBSETS} fails with that reason (e.g.
 * n = 30 allows f <= 6, n = 100 allows f <= 3). Without pruning that is at most 10^6 (n - f)^2 / 2 distance look-ups,
 * under a second; on random rows the pruned search takes milliseconds.
 */
public final class MinimumDiameterAveraging extends TolerantRule {

    public static final String NAME = "mda";
    /** Bound on the subsets one aggregation may scan. */
    public static final long MAX_SUBSETS = 1_000_000;

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1}. */
    public MinimumDiameterAveraging(int f) {
        super(NAME, f);
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        Subsets.requireAtMost(NAME, n, f, MAX_SUBSETS, "its bound on subsets");
        Search search = new Search(batch.geometry().squaredDistances(), n - f);
        search.extend(0, 0, 0);
        return batch.combine(Subsets.uniformOver(search.best, n));
    }

    /** Depth-first over subsets in lexicographic order, with squared diameters (same order as the distances). */
    private static final class Search {
        final double[][] distances;
        final int[] chosen;
        int[] best;
        double bestDiameter = Double.POSITIVE_INFINITY;

        Search(double[][] distances, int size) {
            this.distances = distances;
            this.chosen = new int[size];
        }

        void extend(int depth, int from, double diameter) {
            if (depth == chosen.length) {
                best = chosen.clone();
                bestDiameter = diameter;
                return;
            }
            int n = distances.length;
            for (int i = from; i <= n - (chosen.length - depth); i++) {
                double d = diameter;
                for (int t = 0; t < depth; t++) {
                    d = Math.max(d, distances[chosen[t]][i]);
                }
                // Completing it cannot shrink d, and a later subset must be strictly smaller to win.
                if (d < bestDiameter) {
                    chosen[depth] = i;
                    extend(depth + 1, i + 1, d);
                }
            }
        }
    }
}
