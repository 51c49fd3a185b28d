package dev.hansa.aggregation.tensor;

import java.util.Objects;

/**
 * The stored entries of a sparse {@link Tensors}: strictly ascending flat indices and their values; every other
 * value is zero. What a sparse codec ({@code topk}, {@code randk}, {@code sparseloco}) decodes to, so that the server
 * folds an update of k kept entries in O(k) time and memory instead of expanding it to d floats first.
 *
 * @param indices strictly ascending flat indices below the model's parameter count
 * @param values  the value at each index
 */
public record SparseEntries(int[] indices, float[] values) {

    public SparseEntries {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (indices.length != values.length) {
            throw new IllegalArgumentException(indices.length + " indices for " + values.length + " values");
        }
    }

    /** How many entries are stored. */
    public int count() {
        return indices.length;
    }

    /**
     * {@code sum[i] += weight * (double) x[i]} for the stored entries, in index order: the bits of the dense fold
     * ({@code WeightedSum}) on the expanded update, because the entries it skips add {@code weight * 0}, which
     * leaves every sum that is not -0.0 as it is, and a sum started at +0.0 that only adds is never -0.0.
     */
    public void foldInto(double[] sum, double weight) {
        for (int j = 0; j < indices.length; j++) {
            sum[indices[j]] += weight * values[j];
        }
    }

    /** The sum of squares in index order: the bits of the dense sum, whose zeros add nothing. */
    double sumOfSquares() {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return sum;
    }

    /** The dense vector of {@code d} values. */
    float[] expand(int d) {
        float[] out = new float[d];
        for (int j = 0; j < indices.length; j++) {
            out[indices[j]] = values[j];
        }
        return out;
    }

    /** Checks the indices against a model of {@code d} parameters. */
    void check(int d) {
        for (int j = 0; j < indices.length; j++) {
            if (indices[j] < 0 || indices[j] >= d || j > 0 && indices[j] <= indices[j - 1]) {
                throw new IllegalArgumentException("sparse index " + j + " is " + indices[j] + "; indices ascend"
                        + " strictly below the model's " + d + " parameters");
            }
        }
    }
}
