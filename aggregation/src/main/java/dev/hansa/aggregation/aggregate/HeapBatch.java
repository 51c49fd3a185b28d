package dev.hansa.aggregation.aggregate;

import dev.hansa.compute.cpu.WeightedSum;
import java.util.Arrays;
import java.util.List;

/** An {@link UpdateBatch} over rows held as float arrays on the heap (the updates a round decoded). */
public final class HeapBatch implements UpdateBatch {

    private final float[][] rows;
    private final double[] weights;
    private final int dimension;
    private RowGeometry geometry;

    /** The rows are not copied: the caller must not change them. */
    public HeapBatch(List<float[]> rows, double[] weights, int dimension) {
        this(rows, weights, dimension, null);
    }

    /**
     * Rows whose geometry the caller already holds, e.g. derived from rows it knows them to be combinations of
     * ({@link RowGeometry#mixed}); null to compute it from the rows when first asked. Neither is copied.
     */
    public HeapBatch(List<float[]> rows, double[] weights, int dimension, RowGeometry geometry) {
        if (geometry != null && geometry.size() != rows.size()) {
            throw new IllegalArgumentException("a geometry of " + geometry.size() + " rows for " + rows.size());
        }
        if (weights.length != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + weights.length + " weights");
        }
        for (float[] row : rows) {
            if (row.length != dimension) {
                throw new IllegalArgumentException("a row has " + row.length + " values, the batch " + dimension);
            }
        }
        this.rows = rows.toArray(float[][]::new);
        this.weights = weights.clone();
        this.dimension = dimension;
        this.geometry = geometry;
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public void readColumns(int from, int to, float[] out) {
        int width = to - from;
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], from, out, i * width, width);
        }
    }

    /** Combines the rows where they lie, without copying the block. */
    @Override
    public void readMixedColumns(double[][] mix, int from, int to, float[] out) {
        int[] offsets = new int[rows.length];
        Arrays.fill(offsets, from);
        ColumnMixing.mix(mix, rows, offsets, to - from, out);
    }

    /**
     * Through {@link WeightedSum}: the same bits as folding the rows with a non-zero coefficient one by one into a
     * running double sum (rows with coefficient 0 are not read).
     */
    @Override
    public double[] combine(double[] a) {
        if (a.length != rows.length) {
            throw new IllegalArgumentException(a.length + " coefficients for " + rows.length + " rows");
        }
        int used = 0;
        for (double v : a) {
            used += v != 0 ? 1 : 0;
        }
        double[] coefficients = new double[used];
        float[][] selected = new float[used][];
        for (int i = 0, k = 0; i < rows.length; i++) {
            if (a[i] != 0) {
                coefficients[k] = a[i];
                selected[k++] = rows[i];
            }
        }
        double[] sum = new double[dimension];
        WeightedSum.shared().add(sum, coefficients, selected);
        return sum;
    }

    @Override
    public RowGeometry geometry() {
        if (geometry == null) {
            geometry = RowGeometry.of(this);
        }
        return geometry;
    }
}
