package dev.hansa.aggregation.aggregate;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * An {@link UpdateBatch} over rows of a {@link MappedRowStore}, read from its mapping: a block of columns is copied
 * row segment by row segment (contiguous in the store's column-block-major file), and a combination folds the rows
 * one block of columns at a time, so the double sum's block stays in cache while the rows stream by.
 */
final class MappedBatch implements UpdateBatch {

    private final MappedRowStore store;
    private final MemorySegment mapped;
    private final int[] slots;
    private final double[] weights;
    private RowGeometry geometry;

    MappedBatch(MappedRowStore store, MemorySegment mapped, int[] slots, double[] weights) {
        if (weights.length != slots.length) {
            throw new IllegalArgumentException(slots.length + " rows but " + weights.length + " weights");
        }
        this.store = store;
        this.mapped = mapped;
        this.slots = slots;
        this.weights = weights.clone();
    }

    @Override
    public int size() {
        return slots.length;
    }

    @Override
    public int dimension() {
        return store.dimension();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public void readColumns(int from, int to, float[] out) {
        Objects.checkFromToIndex(from, to, store.dimension());
        int width = to - from;
        int block = store.blockColumns();
        for (int first = from - from % block; first < to; first += block) {
            int lo = Math.max(from, first);
            int count = Math.min(to, first + block) - lo;
            for (int i = 0; i < slots.length; i++) {
                MemorySegment.copy(mapped, MappedRowStore.FLOAT, store.offset(slots[i], lo), out, i * width + lo - from,
                        count);
            }
        }
    }

    /**
     * The same bits as {@link HeapBatch#combine}: per coordinate, the rows with a non-zero coefficient are added in
     * row order to a double sum that starts at 0 ({@code sum += a_i * x_i}, never fused).
     */
    @Override
    public double[] combine(double[] a) {
        if (a.length != slots.length) {
            throw new IllegalArgumentException(a.length + " coefficients for " + slots.length + " rows");
        }
        int d = store.dimension();
        int block = store.blockColumns();
        double[] sum = new double[d];
        float[] x = new float[block];
        for (int first = 0; first < d; first += block) {
            int width = Math.min(block, d - first);
            for (int i = 0; i < slots.length; i++) {
                double c = a[i];
                if (c != 0) {
                    MemorySegment.copy(mapped, MappedRowStore.FLOAT, store.offset(slots[i], first), x, 0, width);
                    for (int j = 0; j < width; j++) {
                        sum[first + j] += c * x[j];
                    }
                }
            }
        }
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
