package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Map;

/**
 * {@value #NAME}: the geometric median {@code argmin_z sum_i alpha_i ||z - x_i||} approximated by the smoothed
 * Weiszfeld iteration of RFA (Pillutla, Kakade and Harchaoui, "Robust Aggregation for Federated Learning", IEEE TSP
 * 2022): from {@code z = 0} (as ByzFL and the Karimireddy et al. code start), {@code T} times
 * {@code beta_i = alpha_i / max(nu, ||z - x_i||)}, {@code z = sum_i beta_i x_i / sum_i beta_i}.
 *
 * <p>Every z is a combination of the rows, so the iteration runs on its coefficient vector with distances from the
 * batch's {@link RowGeometry} and reads the rows once, for the output. That makes iterations cost n x n work, not a
 * pass over the updates, so the default is {@value #DEFAULT_ITERATIONS} (Karimireddy et al.'s T, closer to the
 * median) rather than ByzFL's and the LPD code's 3; {@code nu} defaults to {@value #DEFAULT_NU} as in all three.
 *
 * <p>{@code alpha_i} are the batch's weights, normalised: RFA's weighted median, whose guarantee holds while the
 * Byzantine updates carry less than half the weight. With uniform weighting (or equal weights) this is ByzFL's
 * {@code GeometricMedian(nu, T)}, whose {@code alpha_i = 1/n} cancels out.
 */
public final class GeometricMedian extends TolerantRule {

    public static final String NAME = "geomed";
    public static final int DEFAULT_ITERATIONS = 8;
    public static final double DEFAULT_NU = 0.1;
    /** Bound on {@code iterations}: each is n x n work, and far fewer already settle the median. */
    public static final int MAX_ITERATIONS = 10_000;

    private final int iterations;
    private final double nu;

    /** Tolerating {@code f} arbitrary updates needs {@code n >= 2f + 1} (the geometric median's breakdown point). */
    public GeometricMedian(int f, int iterations, double nu) {
        super(NAME, f);
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("geomed iterations must be in [1, " + MAX_ITERATIONS + "], got "
                    + iterations);
        }
        if (!(nu > 0) || Double.isInfinite(nu)) {
            throw new IllegalArgumentException("geomed nu must be finite and > 0, got " + nu);
        }
        this.iterations = iterations;
        this.nu = nu;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("iterations", iterations, "nu", nu);
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        return batch.combine(coefficients(batch.geometry(), batch.weights()));
    }

    /** The coefficients of the last iterate over the rows. */
    private double[] coefficients(RowGeometry geometry, double[] weights) {
        int n = geometry.size();
        double[] alpha = normalised(weights);
        double[] a = new double[n];
        for (int t = 0; t < iterations; t++) {
            double[] squared = RowDistances.toCombination(geometry, a);
            double total = 0;
            for (int i = 0; i < n; i++) {
                a[i] = alpha[i] / Math.max(nu, Math.sqrt(squared[i]));
                total += a[i];
            }
            for (int i = 0; i < n; i++) {
                a[i] /= total;
            }
        }
        return a;
    }

    private static double[] normalised(double[] weights) {
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("geomed needs finite weights >= 0, got " + w);
            }
            total += w;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("geomed needs a positive total weight, got " + total);
        }
        double[] alpha = new double[weights.length];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = weights[i] / total;
        }
        return alpha;
    }
}
