package dev.hansa.aggregation.aggregate;

/**
 * A round's updates of one role, as whole-round pre-aggregators and aggregators see them: n rows of d values and
 * their weights, in participant order. Rules read it through three operations that each touch the data once, so
 * that where the rows live (on the heap, in a mapped file) and how a pre-aggregator derived them (as combinations
 * of another batch's rows) stays the batch's business: column blocks for coordinate-wise rules, the rows'
 * {@link RowGeometry} for distance-based rules, and one weighted combination of the rows for the output. Read-only.
 */
public interface UpdateBatch {

    /** Number of rows, n. */
    int size();

    /** Values per row, d. */
    int dimension();

    /** The rows' aggregation weights (a copy). */
    double[] weights();

    /**
     * Copies columns {@code [from, to)} of every row into {@code out}, row by row: {@code out[i * (to - from) + (j -
     * from)] = x_i[j]}; {@code out} holds at least {@code size() * (to - from)} values.
     */
    void readColumns(int from, int to, float[] out);

    /**
     * Columns {@code [from, to)} of the combinations {@code y_i = sum_k mix[i][k] x_k} of the rows, written as
     * {@link #readColumns} writes rows: {@code out[i * (to - from) + (j - from)] = y_i[j]}, each value summed in double
     * precision in k order and rounded once to float; rows with a zero coefficient in every combination need not be
     * read. {@code mix} has rows of {@link #size()} entries. What a {@link MixedBatch} reads its columns through: a
     * batch that holds its rows can combine them where they lie, without copying the block first.
     */
    default void readMixedColumns(double[][] mix, int from, int to, float[] out) {
        int n = size();
        int width = to - from;
        float[] block = new float[n * width];
        readColumns(from, to, block);
        float[][] rows = new float[n][];
        int[] offsets = new int[n];
        for (int k = 0; k < n; k++) {
            rows[k] = block;
            offsets[k] = k * width;
        }
        ColumnMixing.mix(mix, rows, offsets, width, out);
    }

    /** {@code sum_i a[i] x_i} in double precision, added in row order; {@code a} has {@link #size()} entries. */
    double[] combine(double[] a);

    /** Inner products between the rows and any combinations of them (computed once, then cached). */
    RowGeometry geometry();
}
