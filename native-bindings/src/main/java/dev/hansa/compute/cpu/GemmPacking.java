package dev.hansa.compute.cpu;

/**
 * Copies blocks of A and B into the layouts the micro-kernel reads.
 *
 * <p>B, seen as "lines" (columns of op(B)) indexed by a "step" p along k, becomes micro-panels: a block of
 * {@code lines x depth} becomes ceil(lines / width) panels of {@code depth x width} floats, step p of a panel holding
 * its lines' p-th values; lines past the edge are zero-filled, so the micro-kernel always computes a full tile.
 *
 * <p>A is read in place when it is stored untransposed (its rows already run along k); only a transposed A, and the
 * last rows of a block that do not fill a micro-tile, are copied into rows of {@code depth} floats.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /** Packs steps [p0, p0+depth) x columns [col0, col0+cols) of op(B) (k x n; B is stored n x k when transposed). */
    static void packB(boolean transposed, float[] b, int bo, int ldb, int p0, int col0, int depth, int cols,
                      int nr, float[] dst) {
        for (int panel = 0; panel < cols; panel += nr) {
            int used = Math.min(nr, cols - panel), base = panel * depth;
            if (!transposed) {
                // A panel step is a contiguous run of one stored row.
                for (int p = 0; p < depth; p++) {
                    int from = bo + (p0 + p) * ldb + col0 + panel, at = base + p * nr;
                    System.arraycopy(b, from, dst, at, used);
                    java.util.Arrays.fill(dst, at + used, at + nr, 0f);
                }
            } else {
                // Read each stored row sequentially and scatter it with stride nr.
                for (int l = 0; l < used; l++) {
                    int from = bo + (col0 + panel + l) * ldb + p0;
                    for (int p = 0, at = base + l; p < depth; p++, at += nr) {
                        dst[at] = b[from + p];
                    }
                }
                for (int l = used; l < nr; l++) {
                    for (int p = 0, at = base + l; p < depth; p++, at += nr) {
                        dst[at] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Copies rows [row0, row0+rows) x steps [p0, p0+depth) of op(A) into {@code dst} as {@code padTo} rows of
     * {@code depth} floats (row r's step p at {@code dst[r * depth + p]}), rows past {@code rows} zero-filled. A is
     * stored k x m when transposed, m x k otherwise.
     */
    static void packARows(boolean transposed, float[] a, int ao, int lda, int row0, int p0, int rows, int depth,
                          int padTo, float[] dst) {
        if (transposed) {
            // Each stored row holds one step of every row: read it sequentially, scatter with stride depth.
            for (int p = 0; p < depth; p++) {
                int from = ao + (p0 + p) * lda + row0;
                for (int r = 0, at = p; r < rows; r++, at += depth) {
                    dst[at] = a[from + r];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(a, ao + (row0 + r) * lda + p0, dst, r * depth, depth);
            }
        }
        java.util.Arrays.fill(dst, rows * depth, padTo * depth, 0f);
    }
}
