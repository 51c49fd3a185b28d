package dev.hansa.aggregation.aggregate;

import java.util.List;

/**
 * A round's updates of one role, as whole-round pre-aggregators and aggregators see them: n rows of d floats and
 * their weights, in participant order. Read-only: rules return new values instead of writing into the rows.
 */
public record UpdateBatch(List<float[]> rows, double[] weights, int dimension) {

    public UpdateBatch {
        rows = List.copyOf(rows);
        if (weights.length != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + weights.length + " weights");
        }
        for (float[] row : rows) {
            if (row.length != dimension) {
                throw new IllegalArgumentException("a row has " + row.length + " values, the batch " + dimension);
            }
        }
        weights = weights.clone();
    }

    public int size() {
        return rows.size();
    }
}
