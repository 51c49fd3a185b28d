package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.AggregationThreads;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pass of the coordinate-wise rules (median, trimmed mean, Bulyan's second phase): reads a batch in blocks of
 * {@link #COLUMNS_PER_READ} columns, sorts every column of the chosen rows with a {@link SortingNetwork} and hands
 * the sorted block to the rule, which writes one output value per column. Its memory is, per thread, one block of
 * the batch's n rows and one of the chosen k rows: n x {@value #COLUMNS_PER_READ} + k x {@value #COLUMNS_PER_READ}
 * floats, allocated once per pass.
 *
 * <p>The blocks are handed to the threads of {@link AggregationThreads} (one per core) from a shared counter,
 * as {@code WeightedSum} does, so the threads call {@link UpdateBatch#readColumns} at the same time on disjoint
 * column ranges; a batch is read-only, and the heap and mixed batches allocate nothing they share between reads.
 */
final class ColumnSorter {

    /** Columns read per block: 1024 kept 100 sorted rows (400 KB) in a core's L2 and ran fastest of 64 to 1024. */
    static final int COLUMNS_PER_READ = 1024;

    /** What a rule makes of one sorted block; called from several threads at once, each with its own block. */
    @FunctionalInterface
    interface Reduction {
        /**
         * Writes {@code out[from + j]} for {@code j < width}, where {@code sorted[p][j]} is the p-th smallest value
         * of column {@code from + j} among the chosen rows (at the positions the network was built to sort).
         */
        void reduce(float[][] sorted, int width, int from, double[] out);
    }

    private ColumnSorter() {
    }

    /**
     * One value per column of {@code batch}: {@code reduction} applied to the columns of rows {@code rows} (indices
     * into the batch, {@code network.size()} of them), sorted by {@code network}.
     */
    static double[] reduce(UpdateBatch batch, int[] rows, SortingNetwork network, Reduction reduction) {
        if (rows.length != network.size()) {
            throw new IllegalArgumentException(rows.length + " rows for a network of " + network.size());
        }
        int n = batch.size();
        int d = batch.dimension();
        double[] out = new double[d];
        int width = Math.max(1, Math.min(d, COLUMNS_PER_READ));
        int blocks = (d + width - 1) / width;
        AtomicInteger next = new AtomicInteger();
        AggregationThreads.POOL.run(Math.min(blocks, AggregationThreads.POOL.parallelism()), part -> {
            float[] block = new float[n * width];
            float[][] sorted = new float[rows.length][width];
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                int from = b * width;
                int w = Math.min(width, d - from);
                batch.readColumns(from, from + w, block);
                for (int p = 0; p < rows.length; p++) {
                    System.arraycopy(block, rows[p] * w, sorted[p], 0, w);
                }
                network.sort(sorted, w);
                reduction.reduce(sorted, w, from, out);
            }
        });
        return out;
    }

    /** All of the batch's rows: 0..n-1. */
    static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
