package dev.hansa.aggregation.aggregate;

import java.io.IOException;

/**
 * Where a round keeps the updates a whole-round rule needs until the round closes: each admitted update is written
 * once into a slot, and the slots that count are read back as one {@link UpdateBatch}, in the order the round lists
 * them. {@link HeapRowStore} keeps float arrays (simulation, tests); {@link MappedRowStore} keeps the rows in a file
 * read through a memory mapping, so that a server aggregating n updates of d parameters holds no n x d floats on its
 * heap.
 */
public interface RowStore extends AutoCloseable {

    /** Values per row, d. */
    int dimension();

    /**
     * Keeps {@code values} ({@link #dimension()} of them) as row {@code slot}, replacing what the slot held. Whether
     * several threads may write at once is the implementation's to say.
     *
     * @throws IOException when the row cannot be kept (e.g. the disk is full); the slot then holds no valid row
     */
    void write(int slot, float[] values) throws IOException;

    /**
     * The rows of {@code slots} in that order, with their weights, as a read-only batch that reads the store: valid
     * until the store is closed, and only while no slot it reads is written again.
     */
    UpdateBatch batch(int[] slots, double[] weights);

    /** Releases what the store holds (its rows, or its file's mapping and channel); its batches become invalid. */
    @Override
    void close();
}
