package dev.hansa.aggregation.aggregate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A {@link RowStore} in a file of a fixed number of slots, read through a memory mapping ({@link MappedBatch}): rows
 * are written with positional writes as updates arrive and read from the page cache when the round closes, so n rows
 * of d floats take n x d x 4 bytes of disk and none of the heap.
 *
 * <p>Layout, column-block-major: the d columns are cut into blocks of {@value #BLOCK_COLUMNS} (the last may be
 * narrower), and block k holds, slot after slot, each slot's values of the block's columns as little-endian
 * float32. Whole-round rules read a batch one block of columns at a time across all its rows (the median, the Gram
 * matrix): here such a block is one contiguous stretch of the file, where a row-major file would give n reads 4 d
 * bytes apart. Writing a row costs d / {@value #BLOCK_COLUMNS} positional writes of 4 KiB instead of one write.
 * A slot never written is a hole of a sparse file; only slots written in full may be read.
 *
 * <p>The file is a cache of rows kept durably elsewhere (the server's database): no header, no flush to disk, and
 * after a crash its owner discards it and writes the rows again. Writes of different slots may run concurrently;
 * {@link #close()} must not (the owner serialises them).
 */
public final class MappedRowStore implements RowStore {

    /** Columns per block of the file: 4 KiB per row and block, one page. */
    public static final int BLOCK_COLUMNS = 1024;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final FileChannel channel;
    private final int slots;
    private final int dimension;
    private final int blockColumns;
    private Arena arena;
    private MemorySegment mapped;

    /**
     * Creates (or empties) {@code file} for {@code slots} rows of {@code dimension} floats.
     *
     * @throws IOException when the file cannot be created
     */
    public static MappedRowStore create(Path file, int slots, int dimension) throws IOException {
        return new MappedRowStore(file, slots, dimension, BLOCK_COLUMNS);
    }

    /** With another block width: {@code blockColumns >= dimension} makes the file row-major (tests, measurements). */
    MappedRowStore(Path file, int slots, int dimension, int blockColumns) throws IOException {
        if (slots < 1 || dimension < 1 || blockColumns < 1) {
            throw new IllegalArgumentException("slots, dimension and blockColumns must be >= 1: " + slots + ", "
                    + dimension + ", " + blockColumns);
        }
        this.file = file;
        this.slots = slots;
        this.dimension = dimension;
        this.blockColumns = Math.min(blockColumns, dimension);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** The file's path. */
    public Path file() {
        return file;
    }

    /** Number of slots. */
    public int slots() {
        return slots;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** The file's size once every slot is written: slots x d x 4 bytes. */
    public long fullSize() {
        return (long) slots * dimension * Float.BYTES;
    }

    @Override
    public void write(int slot, float[] values) throws IOException {
        Objects.checkIndex(slot, slots);
        if (values.length != dimension) {
            throw new IllegalArgumentException("a row has " + values.length + " values, the store " + dimension);
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment buffer = scratch.allocate((long) blockColumns * Float.BYTES);
            for (int first = 0; first < dimension; first += blockColumns) {
                int width = Math.min(blockColumns, dimension - first);
                MemorySegment.copy(values, first, buffer, FLOAT, 0, width);
                ByteBuffer bytes = buffer.asSlice(0, (long) width * Float.BYTES).asByteBuffer();
                long position = offset(slot, first);
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
            }
        }
    }

    @Override
    public UpdateBatch batch(int[] slots, double[] weights) {
        for (int slot : slots) {
            Objects.checkIndex(slot, this.slots);
        }
        return new MappedBatch(this, mapping(), slots.clone(), weights);
    }

    /** The whole file mapped read-only (once; a file written only in part is extended, sparsely, to its full size). */
    private synchronized MemorySegment mapping() {
        if (mapped == null) {
            Arena shared = Arena.ofShared();
            try {
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, fullSize(), shared);
            } catch (IOException e) {
                shared.close();
                throw new UncheckedIOException("cannot map " + file, e);
            }
            arena = shared;
        }
        return mapped;
    }

    /** Byte offset of column {@code column} of slot {@code slot}. */
    long offset(int slot, int column) {
        int first = column - column % blockColumns;
        int width = Math.min(blockColumns, dimension - first);
        return ((long) first * slots + (long) slot * width + (column - first)) * Float.BYTES;
    }

    /** Columns per block. */
    int blockColumns() {
        return blockColumns;
    }

    /** Unmaps and closes the file (the file itself stays: it is its owner's to delete). */
    @Override
    public synchronized void close() {
        if (arena != null) {
            arena.close();
            arena = null;
            mapped = null;
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
