package dev.hansa.aggregation.aggregate;

import java.util.ArrayList;
import java.util.List;

/** A {@link RowStore} of float arrays on the heap: n x d floats for n rows (the simulation's and the tests'). */
public final class HeapRowStore implements RowStore {

    private final int dimension;
    private final List<float[]> rows = new ArrayList<>();

    public HeapRowStore(int dimension) {
        this.dimension = dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** Keeps the array itself, not a copy: the caller must not change it. Not thread-safe. */
    @Override
    public void write(int slot, float[] values) {
        if (values.length != dimension) {
            throw new IllegalArgumentException("a row has " + values.length + " values, the store " + dimension);
        }
        while (rows.size() <= slot) {
            rows.add(null);
        }
        rows.set(slot, values);
    }

    @Override
    public UpdateBatch batch(int[] slots, double[] weights) {
        List<float[]> selected = new ArrayList<>(slots.length);
        for (int slot : slots) {
            float[] row = slot < rows.size() ? rows.get(slot) : null;
            if (row == null) {
                throw new IllegalArgumentException("slot " + slot + " holds no row");
            }
            selected.add(row);
        }
        return new HeapBatch(selected, weights, dimension);
    }

    @Override
    public void close() {
        rows.clear();
    }
}
