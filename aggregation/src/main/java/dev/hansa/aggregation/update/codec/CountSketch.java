package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.random.Philox;
import java.util.Arrays;

/**
 * A count sketch (Charikar, Chen, Farach-Colton 2002) of r rows by c columns over vectors of any length d, with the
 * hashes both parties of a sketch reproduce: row j maps coordinate i to the column {@code h_j(i)} with the sign
 * {@code s_j(i)}, drawn from the Philox stream {@code (seed, STREAM << 8 | j)}, per coordinate in order
 * {@code nextInt(c)} then {@code nextSign()} (docs/protocol.md, countsketch payload). Fully random hashes, stronger
 * than FetchSGD's 2- and 4-wise independent polynomials. The hashes are drawn again on each call rather than held:
 * r d integers a call is cheaper than r d held integers for the models Hansa trains, and it keeps this immutable.
 *
 * <p>The sketch is linear: the sketch of a sum is the sum of the sketches with the same seed, which is what lets
 * FetchSGD's server add tables instead of vectors.
 */
public final class CountSketch {

    /** The Philox stream ids of the rows' hashes: "sketch" in ASCII, shifted left 8 bits, or the row. */
    public static final long STREAM = 0x736b65746368L;
    public static final int MAX_ROWS = 31;
    public static final int MAX_COLUMNS = 1 << 26;

    private final int rows;
    private final int columns;
    private final long seed;

    /**
     * @throws IllegalArgumentException naming {@code update.params.rows} or {@code update.params.columns} when out of
     *                                  range
     */
    public CountSketch(int rows, int columns, long seed) {
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("update.params.rows must be an integer in [1, " + MAX_ROWS + "], got "
                    + rows);
        }
        if (columns < 1 || columns > MAX_COLUMNS) {
            throw new IllegalArgumentException("update.params.columns must be an integer in [1, " + MAX_COLUMNS
                    + "], got " + columns);
        }
        this.rows = rows;
        this.columns = columns;
        this.seed = seed;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** r c, the table's cell count. */
    public int cells() {
        return rows * columns;
    }

    /**
     * The r x c table of {@code v}, row-major: {@code S[j][h_j(i)] += s_j(i) v_i}, summed in double.
     *
     * @throws IllegalArgumentException naming the parameter when {@code v} holds a NaN or infinity
     */
    public double[] sketch(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("a count sketch cannot hold the non-finite value " + v[i]
                        + " at parameter " + i);
            }
        }
        double[] sums = new double[cells()];
        for (int j = 0; j < rows; j++) {
            Philox hashes = rowHashes(j);
            for (float x : v) {
                int column = hashes.nextInt(columns);
                int sign = hashes.nextSign();
                if (x != 0) {
                    sums[j * columns + column] += sign * (double) x;
                }
            }
        }
        return sums;
    }

    /**
     * Every coordinate's estimate from {@code table} (r x c, row-major): {@code median_j s_j(i) S[j][h_j(i)]}, the
     * lower middle for even r (as torch's median), for coordinates 0 .. d-1.
     */
    public float[] estimates(float[] table, int d) {
        if (table.length != cells()) {
            throw new IllegalArgumentException("a table of " + table.length + " cells for a " + rows + " x " + columns
                    + " sketch");
        }
        Philox[] hashes = new Philox[rows];
        for (int j = 0; j < rows; j++) {
            hashes[j] = rowHashes(j);
        }
        float[] estimates = new float[d];
        float[] perRow = new float[rows];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < rows; j++) {
                int column = hashes[j].nextInt(columns);
                perRow[j] = hashes[j].nextSign() * table[j * columns + column];
            }
            Arrays.sort(perRow);
            estimates[i] = perRow[(rows - 1) / 2];
        }
        return estimates;
    }

    /**
     * Unsketch: the {@code k} coordinates of largest estimated magnitude (ties to the lower index) at their
     * estimates, zero elsewhere; O(r d).
     */
    public float[] heavyHitters(float[] table, int d, int k) {
        float[] estimates = estimates(table, d);
        return SparseValues.keep(estimates, LargestMagnitudes.indices(estimates, k));
    }

    private Philox rowHashes(int row) {
        return Philox.stream(seed, STREAM << 8 | row);
    }
}
