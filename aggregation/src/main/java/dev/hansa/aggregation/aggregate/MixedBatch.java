package dev.hansa.aggregation.aggregate;

import java.util.Arrays;

/**
 * Rows that are combinations of another batch's rows, {@code y_i = sum_k mix[i][k] x_k}, never materialised: what
 * bucketing, nearest-neighbour mixing and clipping produce. Its geometry comes from the base batch's
 * ({@link RowGeometry#mixed}) and its combinations are the base's ({@code sum_i a_i y_i = sum_k (mix^T a)_k x_k}),
 * so a chain of pre-aggregators costs n x n numbers, not rows.
 */
public final class MixedBatch implements UpdateBatch {

    private final UpdateBatch base;
    private final double[][] mix;
    private final double[] weights;
    private RowGeometry geometry;

    /** {@code mix} is n' x base.size(); {@code weights} has n' entries. Neither is copied. */
    public MixedBatch(UpdateBatch base, double[][] mix, double[] weights) {
        if (mix.length != weights.length) {
            throw new IllegalArgumentException(mix.length + " mixed rows but " + weights.length + " weights");
        }
        for (double[] row : mix) {
            if (row.length != base.size()) {
                throw new IllegalArgumentException("a mixing row has " + row.length + " entries for " + base.size() + " rows");
            }
        }
        this.base = base;
        this.mix = mix;
        this.weights = weights;
    }

    @Override
    public int size() {
        return mix.length;
    }

    @Override
    public int dimension() {
        return base.dimension();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** Each value is its combination in double precision, rounded once to float. */
    @Override
    public void readColumns(int from, int to, float[] out) {
        int width = to - from;
        float[] x = new float[base.size() * width];
        base.readColumns(from, to, x);
        double[] y = new double[width];
        for (int i = 0; i < mix.length; i++) {
            Arrays.fill(y, 0);
            for (int k = 0; k < mix[i].length; k++) {
                double m = mix[i][k];
                if (m != 0) {
                    for (int j = 0; j < width; j++) {
                        y[j] += m * x[k * width + j];
                    }
                }
            }
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) y[j];
            }
        }
    }

    @Override
    public double[] combine(double[] a) {
        double[] onBase = new double[base.size()];
        for (int i = 0; i < mix.length; i++) {
            if (a[i] != 0) {
                for (int k = 0; k < onBase.length; k++) {
                    onBase[k] += a[i] * mix[i][k];
                }
            }
        }
        return base.combine(onBase);
    }

    @Override
    public RowGeometry geometry() {
        if (geometry == null) {
            geometry = base.geometry().mixed(mix);
        }
        return geometry;
    }
}
