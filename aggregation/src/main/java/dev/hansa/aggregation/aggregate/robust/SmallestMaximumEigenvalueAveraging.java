package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Arrays;

/**
 * {@value #NAME}, smallest maximum eigenvalue averaging (Allouah, Guerraoui, Gupta, Pinot and Stephan, "On the
 * Privacy-Robustness-Utility Trilemma in Distributed Learning", ICML 2023): the plain mean of the n - f updates whose
 * empirical covariance {@code (1/|S|) sum_{i in S} (x_i - mu_S)(x_i - mu_S)^T} has the smallest largest eigenvalue.
 * Each subset's eigenvalue is exact, from the (n - f) x (n - f) Gram matrix of its rows ({@link WeightedCovariance}),
 * where ByzFL's {@code SMEA} takes one power step from a random vector per subset (a random under-estimate); subsets
 * are scanned in lexicographic order and the first of equal eigenvalues wins, as there (the float Gram can split a
 * tie of exact arithmetic by rounding). The rows are read once, for the mean.
 *
 * <p>Every subset costs an eigenproblem of size n - f, so a round fails with that reason where {@code C(n, f) (n -
 * f)^3} exceeds {@value #MAX_WORK}, a few seconds of a core at worst (e.g. n = 20 allows f <= 7,
 * n = 50 allows f <= 2, n = 100 allows f <= 1).
 */
public final class SmallestMaximumEigenvalueAveraging extends TolerantRule {

    public static final String NAME = "smea";
    /** Bound on the subsets one aggregation may scan times the cube of their size. */
    public static final long MAX_WORK = 200_000_000;

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1}. */
    public SmallestMaximumEigenvalueAveraging(int f) {
        super(NAME, f);
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        int k = n - f;
        Subsets.requireAtMost(NAME, n, f, MAX_WORK / ((long) k * k * k), MAX_WORK + " / (n - f)^3, an eigenproblem"
                + " of size n - f each");
        double[][] gram = batch.geometry().centred();
        double[][] sub = new double[k][k];
        double[] ones = new double[k];
        Arrays.fill(ones, 1);
        int[] subset = Subsets.first(k);
        int[] best = null;
        double bestEigenvalue = Double.POSITIVE_INFINITY;
        do {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    sub[i][j] = gram[subset[i]][subset[j]];
                }
            }
            double eigenvalue = WeightedCovariance.top(sub, ones).eigenvalue();
            if (best == null || eigenvalue < bestEigenvalue) {
                best = subset.clone();
                bestEigenvalue = eigenvalue;
            }
        } while (Subsets.next(subset, n));
        return batch.combine(Subsets.uniformOver(best, n));
    }
}
