package dev.hansa.compute.cpu;

/**
 * Copies blocks of A and B into the micro-panel layouts the micro-kernel streams through, which is also where the
 * transposes are resolved (an untransposed A may also be read in place, see {@link Sgemm}).
 *
 * <p>Both operands are seen as "lines" (rows of op(A), columns of op(B)) indexed by a "step" p along k. A block of
 * {@code lines x depth} becomes ceil(lines / width) panels of {@code depth x width} floats, step p of a panel holding
 * its lines' p-th values. Lines past the edge are zero-filled, so the micro-kernel always computes a full tile.
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /** Packs rows [row0, row0+rows) x steps [p0, p0+depth) of op(A) (m x k; A is stored k x m when transposed). */
    static void packA(boolean transposed, float[] a, int ao, int lda, int row0, int p0, int rows, int depth,
                      int mr, float[] dst) {
        pack(transposed, a, ao, lda, row0, p0, rows, depth, mr, dst);
    }

    /** Packs steps [p0, p0+depth) x columns [col0, col0+cols) of op(B) (k x n; B is stored n x k when transposed). */
    static void packB(boolean transposed, float[] b, int bo, int ldb, int p0, int col0, int depth, int cols,
                      int nr, float[] dst) {
        pack(!transposed, b, bo, ldb, col0, p0, cols, depth, nr, dst);
    }

    /**
     * Element (line l, step p) is stored at {@code src[so + p * ld + l]} when {@code stepMajor}, else at
     * {@code src[so + l * ld + p]}.
     */
    private static void pack(boolean stepMajor, float[] src, int so, int ld, int line0, int p0, int lines, int depth,
                             int width, float[] dst) {
        for (int panel = 0; panel < lines; panel += width) {
            int used = Math.min(width, lines - panel), base = panel * depth;
            if (stepMajor) {
                // A panel step is a contiguous run of one stored row.
                for (int p = 0; p < depth; p++) {
                    int from = so + (p0 + p) * ld + line0 + panel, at = base + p * width;
                    System.arraycopy(src, from, dst, at, used);
                    java.util.Arrays.fill(dst, at + used, at + width, 0f);
                }
            } else {
                // Read each stored row sequentially and scatter it with stride width.
                for (int l = 0; l < used; l++) {
                    int from = so + (line0 + panel + l) * ld + p0;
                    for (int p = 0, at = base + l; p < depth; p++, at += width) {
                        dst[at] = src[from + p];
                    }
                }
                for (int l = used; l < width; l++) {
                    for (int p = 0, at = base + l; p < depth; p++, at += width) {
                        dst[at] = 0f;
                    }
                }
            }
        }
    }
}
