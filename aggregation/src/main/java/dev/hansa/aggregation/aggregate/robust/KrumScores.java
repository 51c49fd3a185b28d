package dev.hansa.aggregation.aggregate.robust;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Krum's score (Blanchard et al., "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent", NeurIPS
 * 2017) of the rows of a set: {@code s(i) = sum_{j in N_i} ||x_i - x_j||^2}, N_i the {@code neighbours} rows of the
 * set nearest to x_i, x_i itself excluded. Works on the squared distances of a {@link RowGeometry}, so scoring a
 * subset of the rows (Bulyan's remaining set) reads a sub-matrix and recomputes nothing.
 */
final class KrumScores {

    private final double[][] distances;

    /** {@code distances} is the n x n matrix of {@link RowGeometry#squaredDistances()}; not copied. */
    KrumScores(double[][] distances) {
        this.distances = distances;
    }

    /** The scores of the rows {@code set} (indices into the batch) within that set, in the order of {@code set}. */
    double[] scores(int[] set, int neighbours) {
        if (neighbours < 0 || neighbours > set.length - 1) {
            throw new IllegalArgumentException(neighbours + " neighbours in a set of " + set.length);
        }
        double[] scores = new double[set.length];
        double[] others = new double[set.length - 1];
        for (int a = 0; a < set.length; a++) {
            double[] row = distances[set[a]];
            for (int b = 0, k = 0; b < set.length; b++) {
                if (b != a) {
                    others[k++] = row[set[b]];
                }
            }
            Arrays.sort(others);
            double score = 0;
            for (int k = 0; k < neighbours; k++) {
                score += others[k];
            }
            scores[a] = score;
        }
        return scores;
    }

    /** Positions 0..scores.length-1 by increasing score, equal scores by position. */
    static int[] ranking(double[] scores) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The position of the lowest score, the first one on a tie. */
    static int lowest(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] < scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
