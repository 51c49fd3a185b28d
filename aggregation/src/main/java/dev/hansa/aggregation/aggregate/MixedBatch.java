package dev.hansa.aggregation.aggregate;

/**
 * Rows that are combinations of another batch's rows, {@code y_i = sum_k mix[i][k] x_k}, never materialised: what
 * bucketing, nearest-neighbour mixing and clipping produce. Its geometry comes from the base batch's
 * ({@link RowGeometry#mixed}) and its combinations are the base's ({@code sum_i a_i y_i = sum_k (mix^T a)_k x_k}),
 * so a chain of pre-aggregators costs n x n numbers, not rows. Column reads skip the chain: a mix of a mixed batch
 * keeps the product of the two mixes (computed once, n x n x n), so a block of columns is one combination of the
 * rows below every mix, and each value is rounded to float once instead of once per level.
 */
public final class MixedBatch implements UpdateBatch {

    private final UpdateBatch base;
    private final double[][] mix;
    private final double[] weights;
    /** The batch the column reads go to, below every level of mixing, and this batch's rows as its combinations. */
    private final UpdateBatch source;
    private final double[][] sourceMix;
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
        if (base instanceof MixedBatch mixed) {
            this.source = mixed.source;
            this.sourceMix = product(mix, mixed.sourceMix, mixed.source.size());
        } else {
            this.source = base;
            this.sourceMix = mix;
        }
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

    /**
     * Each value is its combination of the first batch below that is not mixed (a heap or mapped batch) in double
     * precision, rounded once to float.
     */
    @Override
    public void readColumns(int from, int to, float[] out) {
        source.readMixedColumns(sourceMix, from, to, out);
    }

    @Override
    public void readMixedColumns(double[][] outer, int from, int to, float[] out) {
        source.readMixedColumns(product(outer, sourceMix, source.size()), from, to, out);
    }

    /** {@code a b} in double ({@code b} has {@code columns} columns), each entry summed in k order. */
    private static double[][] product(double[][] a, double[][] b, int columns) {
        double[][] c = new double[a.length][columns];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                double m = a[i][k];
                if (m != 0) {
                    for (int j = 0; j < columns; j++) {
                        c[i][j] += m * b[k][j];
                    }
                }
            }
        }
        return c;
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
