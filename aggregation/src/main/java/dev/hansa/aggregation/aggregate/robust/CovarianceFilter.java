package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Arrays;

/**
 * {@value #NAME}, the Covariance-bound Agnostic Filter (Allouah, Guerraoui and Stephan, "Towards Trustworthy Federated
 * Learning with Untrusted Participants", ICML 2025): weights {@code c_i = 1}; while {@code sum c > n - 2f}, take the
 * weighted mean {@code mu_c} and the top eigenpair {@code (lambda, v)} of the weighted covariance {@code Sigma_c},
 * and scale each weight by {@code 1 - tau_i / tau_max} with {@code tau_i = ((x_i - mu_c)^T v)^2}; return the
 * {@code mu_c} of the smallest {@code lambda} seen. Unweighted by the batch's weights, as in the paper and ByzFL.
 *
 * <p>Where this differs from ByzFL's {@code CAF}:
 * <ul>
 *   <li>The eigenpair is exact, from an n x n symmetric eigenproblem on the Gram matrix
 *       ({@link WeightedCovariance}), where ByzFL takes one power step from a random vector: its output is random and
 *       its lambda an under-estimate.
 *   <li>{@code tau_max} is the largest over the rows still weighted: each pass then zeroes at least one of them, so
 *       the filter ends within n passes. ByzFL's maximum also covers rows already at weight 0, which changes
 *       nothing while the farthest row is still weighted and otherwise makes the pass filter less.
 *   <li>The loop also ends when Sigma_c vanishes (the weighted rows coincide): no smaller lambda can follow, where
 *       ByzFL's power step divides by zero.
 *   <li>With f = 0 the loop never runs and the result is the plain mean (ByzFL returns None).
 * </ul>
 * Reads the rows once, for the output.
 */
public final class CovarianceFilter extends TolerantRule {

    public static final String NAME = "caf";

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1}. */
    public CovarianceFilter(int f) {
        super(NAME, f);
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        double[][] gram = batch.geometry().centred();
        double[] c = new double[n];
        Arrays.fill(c, 1);
        double total = n;
        double[] best = c.clone();
        double bestEigenvalue = Double.POSITIVE_INFINITY;
        while (total > n - 2 * f) {
            WeightedCovariance.Top top = WeightedCovariance.top(gram, c);
            if (top.eigenvalue() < bestEigenvalue) {
                bestEigenvalue = top.eigenvalue();
                best = c.clone();
            }
            double largest = 0;
            for (int i = 0; i < n; i++) {
                if (c[i] > 0) {
                    largest = Math.max(largest, top.projections()[i] * top.projections()[i]);
                }
            }
            if (largest == 0) {
                break;
            }
            total = 0;
            for (int i = 0; i < n; i++) {
                double tau = top.projections()[i] * top.projections()[i];
                c[i] = c[i] > 0 ? c[i] * (1 - tau / largest) : 0;
                total += c[i];
            }
        }
        double sum = 0;
        for (double v : best) {
            sum += v;
        }
        for (int i = 0; i < n; i++) {
            best[i] /= sum;
        }
        return batch.combine(best);
    }
}
