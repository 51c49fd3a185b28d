package dev.hansa.aggregation.aggregate;

/**
 * A batch that hands each operation to another, for tests to override the ones they watch or change. Mixed column
 * reads stay the interface's default, over the forwarded column reads.
 */
public class ForwardingBatch implements UpdateBatch {

    private final UpdateBatch rows;

    public ForwardingBatch(UpdateBatch rows) {
        this.rows = rows;
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public int dimension() {
        return rows.dimension();
    }

    @Override
    public double[] weights() {
        return rows.weights();
    }

    @Override
    public void readColumns(int from, int to, float[] out) {
        rows.readColumns(from, to, out);
    }

    @Override
    public double[] combine(double[] a) {
        return rows.combine(a);
    }

    @Override
    public RowGeometry geometry() {
        return rows.geometry();
    }
}
