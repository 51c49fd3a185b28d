package dev.hansa.aggregation.update.codec;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The wire form of a count sketch's table, shared by {@code countsketch} and {@code fetchsgd}: an update frame whose
 * payload is the r x c float32 cells, row-major, nothing else; its length is exact and every cell finite.
 */
final class SketchTables {

    /** A table read from a frame, and the frame's metadata. */
    record Read(float[] table, Map<String, String> metadata) {
    }

    private SketchTables() {
    }

    /** Each cell of a double table rounded once to float32. */
    static float[] rounded(double[] sums) {
        float[] table = new float[sums.length];
        for (int cell = 0; cell < sums.length; cell++) {
            table[cell] = (float) sums[cell];
        }
        return table;
    }

    /** The frame of codec {@code name} for an update of {@code d} parameters whose sketch is {@code sums}. */
    static byte[] encode(String name, double[] sums, int d, Map<String, String> metadata) {
        float[] table = rounded(sums);
        return UpdateFrame.write(name, d, metadata, 4 * table.length, out -> {
            for (float cell : table) {
                out.putFloat(cell);
            }
        });
    }

    /**
     * The table of an untrusted frame of codec {@code name} for a model of {@code d} parameters.
     *
     * @throws dev.hansa.aggregation.tensor.InvalidTensorsException {@code malformed-frame} for a wrong length or a
     *                                                             non-finite cell
     */
    static Read decode(String name, MemorySegment bytes, int d, int rows, int columns) {
        UpdateFrame.Parsed frame = UpdateFrame.read(bytes, name, d);
        MemorySegment payload = UpdateFrame.exactPayload(frame, 4L * rows * columns,
                () -> "a " + name + " payload of " + rows + " x " + columns + " float32 cells");
        float[] table = new float[rows * columns];
        for (int cell = 0; cell < table.length; cell++) {
            table[cell] = payload.get(SparseValues.F32, 4L * cell);
            if (!Float.isFinite(table[cell])) {
                throw UpdateFrame.malformed(name + " cell " + cell + " is " + table[cell]
                        + "; cells are finite float32 values");
            }
        }
        return new Read(table, frame.metadata());
    }
}
