package dev.hansa.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Backend} must do, checked against double-precision references at awkward sizes (1, 13, 207,
 * 4098, ...; tails and lane counts break there), with strided and offset operands, NaN-poisoned inputs that must not
 * be read, and guard cells that must not be written. A backend's test implements this interface and supplies the
 * instance.
 */
public interface BackendContract {

    /** The backend under test, shared by the test methods of one class. */
    Backend backend();

    /** Error-bound multiplier over the textbook float32 bound; a backend with reduced-precision math raises it. */
    default double slack() {
        return 2;
    }

    int[] AWKWARD = {0, 1, 2, 7, 13, 15, 16, 17, 31, 33, 64, 207, 1023, 1025, 4098, 100_003, (1 << 18) + 5};

    // ---------------------------------------------------------------- gemm

    record GemmCase(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                    int padA, int padB, int padC, int offset) {
        @Override
        public String toString() {
            return (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                    + " beta=" + beta + " pads=" + padA + "/" + padB + "/" + padC + " offset=" + offset;
        }
    }

    float[][] ALPHA_BETA = {{1, 0}, {-0.5f, 0}, {1, 1}, {1.5f, -0.25f}, {0.75f, 2}, {0, 0.5f}, {0, 0}};

    @Test
    default void gemmMatchesTheReferenceOnRandomAwkwardShapes() {
        int[] sizes = {1, 2, 5, 6, 7, 13, 16, 17, 31, 32, 33, 64, 100, 207};
        SplittableRandom r = new SplittableRandom(42);
        for (int t = 0; t < 160; t++) {
            float[] ab = ALPHA_BETA[r.nextInt(ALPHA_BETA.length)];
            GemmCase g = new GemmCase(r.nextBoolean(), r.nextBoolean(), sizes[r.nextInt(sizes.length)],
                    sizes[r.nextInt(sizes.length)], sizes[r.nextInt(sizes.length)], ab[0], ab[1],
                    r.nextInt(3) * r.nextInt(1, 9), r.nextInt(3) * r.nextInt(1, 9), r.nextInt(3) * r.nextInt(1, 9),
                    r.nextInt(3) * r.nextInt(1, 50));
            checkGemm(g, r);
        }
    }

    @Test
    default void gemmCoversEveryTransposeAcrossBlockAndThreadBoundaries() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{400, 300, 600}, {7, 4100, 3}, {1000, 33, 300}, {3, 5, 1100}, {365, 66, 70}, {256, 200, 257}};
        for (int[] s : shapes) {
            for (int tr = 0; tr < 4; tr++) {
                checkGemm(new GemmCase((tr & 1) != 0, (tr & 2) != 0, s[0], s[1], s[2], 1.25f, tr == 3 ? 0.5f : 0f,
                        3, 0, 5, 11), r);
            }
        }
    }

    @Test
    default void gemmHandlesEmptyAndDegenerateShapes() {
        SplittableRandom r = new SplittableRandom(3);
        for (int[] s : new int[][] {{0, 5, 3}, {5, 0, 3}, {0, 0, 0}, {4, 5, 0}, {1, 1, 1}, {1, 1, 4098}}) {
            for (float[] ab : ALPHA_BETA) {
                checkGemm(new GemmCase(false, true, s[0], s[1], s[2], ab[0], ab[1], 1, 2, 3, 4), r);
                checkGemm(new GemmCase(true, false, s[0], s[1], s[2], ab[0], ab[1], 0, 0, 0, 0), r);
            }
        }
    }

    /**
     * Runs one case: padding cells of A and B hold NaN (they must not be read), as do all of A and B when alpha is
     * 0 and all of C's region when beta is 0; C's padding and the cells around it hold a sentinel that must survive.
     */
    private void checkGemm(GemmCase g, SplittableRandom r) {
        int aRows = g.ta ? g.k : g.m, aCols = g.ta ? g.m : g.k;
        int bRows = g.tb ? g.n : g.k, bCols = g.tb ? g.k : g.n;
        int lda = Math.max(1, aCols + g.padA), ldb = Math.max(1, bCols + g.padB), ldc = Math.max(1, g.n + g.padC);
        float[] a = strided(r, aRows, aCols, lda, g.offset, Float.NaN, g.alpha == 0);
        float[] b = strided(r, bRows, bCols, ldb, g.offset, Float.NaN, g.alpha == 0);
        float[] c = strided(r, g.m, g.n, ldc, g.offset, Guarded.SENTINEL, false);
        if (g.beta == 0) {
            forEachCell(g.m, g.n, ldc, g.offset, idx -> c[idx] = Float.NaN);
        }
        double[][] ref = Reference.gemm(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a, g.offset, lda, b, g.offset, ldb,
                g.beta, c, g.offset, ldc, slack());
        Backend be = backend();
        float[] out;
        try (FloatArray da = be.upload(a); FloatArray db = be.upload(b); FloatArray dc = be.upload(c)) {
            be.gemm(g.ta ? Transpose.YES : Transpose.NO, g.tb ? Transpose.YES : Transpose.NO, g.m, g.n, g.k,
                    g.alpha, da.slice(g.offset, a.length - g.offset), lda,
                    db.slice(g.offset, b.length - g.offset), ldb, g.beta,
                    dc.slice(g.offset, c.length - g.offset), ldc);
            out = dc.toHost();
        }
        boolean[] inRegion = new boolean[c.length];
        forEachCell(g.m, g.n, ldc, g.offset, idx -> inRegion[idx] = true);
        for (int idx = 0; idx < c.length; idx++) {
            if (!inRegion[idx]) {
                assertEquals(Guarded.SENTINEL, out[idx], g + ": cell " + idx + " outside C's region was written");
            }
        }
        for (int i = 0; i < g.m; i++) {
            for (int j = 0; j < g.n; j++) {
                float got = out[g.offset + i * ldc + j];
                double want = ref[0][i * g.n + j], bound = ref[1][i * g.n + j];
                if (!(Math.abs(got - want) <= bound)) {
                    fail(g + ": C[" + i + ", " + j + "] = " + got + ", expected " + want + " +- " + bound);
                }
            }
        }
    }

    /** offset + rows x cols with leading dimension ld; cells outside the matrix hold {@code pad}. */
    private static float[] strided(SplittableRandom r, int rows, int cols, int ld, int offset, float pad,
                                   boolean allPad) {
        int size = offset + (rows == 0 ? 0 : (rows - 1) * ld + cols) + 3;
        float[] x = Reference.filled(size, pad);
        if (!allPad) {
            forEachCell(rows, cols, ld, offset, idx -> x[idx] = (float) (2 * r.nextDouble() - 1));
        }
        return x;
    }

    private static void forEachCell(int rows, int cols, int ld, int offset, java.util.function.IntConsumer body) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                body.accept(offset + i * ld + j);
            }
        }
    }

    @Test
    default void gemmRejectsShapesThatDoNotFit() {
        Backend be = backend();
        try (FloatArray a = be.allocate(6); FloatArray b = be.allocate(6); FloatArray c = be.allocate(4)) {
            assertThrows(IllegalArgumentException.class,
                    () -> be.gemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2), "lda < k");
            assertThrows(IllegalArgumentException.class,
                    () -> be.gemm(Transpose.NO, Transpose.NO, 2, 3, 3, 1, a, 3, b, 3, 0, c, 3), "c too short");
            assertThrows(IllegalArgumentException.class,
                    () -> be.gemm(Transpose.NO, Transpose.NO, -1, 2, 3, 1, a, 3, b, 2, 0, c, 2), "negative m");
        }
    }

    // ---------------------------------------------------------------- gemv

    @Test
    default void gemvMatchesTheReferenceForBothTransposes() {
        SplittableRandom r = new SplittableRandom(11);
        int[][] shapes = {{0, 3}, {3, 0}, {1, 1}, {13, 7}, {7, 13}, {207, 33}, {33, 4098}, {1030, 600}};
        for (int[] s : shapes) {
            for (float[] ab : ALPHA_BETA) {
                for (boolean t : new boolean[] {false, true}) {
                    checkGemv(t, s[0], s[1], ab[0], ab[1], r);
                }
            }
        }
    }

    private void checkGemv(boolean t, int m, int n, float alpha, float beta, SplittableRandom r) {
        String what = (t ? "T" : "N") + " m=" + m + " n=" + n + " alpha=" + alpha + " beta=" + beta;
        int lda = n + 3, offset = 5;
        float[] a = strided(r, m, n, lda, offset, Float.NaN, alpha == 0);
        int xLen = t ? m : n, yLen = t ? n : m;
        float[] x = alpha == 0 ? Reference.filled(xLen, Float.NaN) : Reference.random(r, xLen);
        float[] y = beta == 0 ? Reference.filled(yLen, Float.NaN) : Reference.random(r, yLen);
        Backend be = backend();
        try (FloatArray da = be.upload(a); FloatArray dx = be.upload(x); Guarded gy = Guarded.of(be, y, 4)) {
            be.gemv(t ? Transpose.YES : Transpose.NO, m, n, alpha, da.slice(offset, a.length - offset), lda, dx, beta,
                    gy.view);
            float[] got = gy.content();
            for (int i = 0; i < yLen; i++) {
                double sum = 0, abs = 0;
                for (int p = 0; p < xLen && alpha != 0f; p++) {
                    double prod = Reference.at(a, offset, lda, t, i, p) * x[p];
                    sum += prod;
                    abs += Math.abs(prod);
                }
                double old = beta == 0 ? 0 : y[i];
                double want = alpha * sum + beta * old;
                double bound = slack() * (xLen + 4) * Reference.U * (Math.abs(alpha) * abs + Math.abs(beta * old))
                        + Double.MIN_NORMAL;
                assertTrue(Math.abs(got[i] - want) <= bound, what + ": y[" + i + "] = " + got[i] + ", want " + want);
            }
            gy.assertGuardsIntact(what);
        }
    }

    // ---------------------------------------------------------------- level 1

    @Test
    default void axpyScalCopyAndFillAreExactPerElementAtAwkwardLengths() {
        SplittableRandom r = new SplittableRandom(5);
        Backend be = backend();
        for (int n : AWKWARD) {
            float[] x = Reference.random(r, n), y = Reference.random(r, n);
            float alpha = -1.75f;
            try (Guarded gx = Guarded.of(be, x, 3); Guarded gy = Guarded.of(be, y, 5)) {
                be.axpy(alpha, gx.view, gy.view);
                float[] got = gy.content();
                for (int i = 0; i < n; i++) {
                    // One rounding (fused) or two (separate multiply and add) are both acceptable.
                    double want = (double) alpha * x[i] + y[i];
                    assertTrue(Math.abs(got[i] - want) <= 2 * Reference.U * (Math.abs(alpha * x[i]) + Math.abs(y[i])),
                            "axpy n=" + n + " at " + i);
                }
                gy.assertGuardsIntact("axpy n=" + n);
                be.scal(0.5f, gy.view);
                float[] halved = gy.content();
                for (int i = 0; i < n; i++) {
                    assertEquals(got[i] * 0.5f, halved[i], "scal n=" + n + " at " + i);
                }
                gy.assertGuardsIntact("scal n=" + n);
                be.copy(gx.view, gy.view);
                assertArrayEqualsExactly(x, gy.content(), "copy n=" + n);
                gy.assertGuardsIntact("copy n=" + n);
                be.fill(gy.view, -3.5f);
                assertArrayEqualsExactly(Reference.filled(n, -3.5f), gy.content(), "fill n=" + n);
                gy.assertGuardsIntact("fill n=" + n);
                gx.assertGuardsIntact("read-only x n=" + n);
            }
        }
    }

    @Test
    default void dotAndNrm2MatchTheReferenceAtAwkwardLengths() {
        SplittableRandom r = new SplittableRandom(9);
        Backend be = backend();
        for (int n : AWKWARD) {
            float[] x = Reference.random(r, n), y = Reference.random(r, n);
            try (Guarded gx = Guarded.of(be, x, 2); Guarded gy = Guarded.of(be, y, 1)) {
                double want = Reference.dot(x, y);
                double bound = slack() * (n + 4) * Reference.U * Reference.absDot(x, y) + Math.ulp((float) want);
                float got = be.dot(gx.view, gy.view);
                assertTrue(Math.abs(got - want) <= bound, "dot n=" + n + ": " + got + " vs " + want);
                double norm = Math.sqrt(Reference.dot(x, x));
                float gotNorm = be.nrm2(gx.view);
                assertTrue(Math.abs(gotNorm - norm) <= slack() * (n + 4) * Reference.U * norm + Math.ulp((float) norm),
                        "nrm2 n=" + n + ": " + gotNorm + " vs " + norm);
            }
        }
    }

    @Test
    default void nrm2NeitherOverflowsNorUnderflows() {
        Backend be = backend();
        for (int n : new int[] {1, 13, 207, 4098}) {
            for (float scale : new float[] {1e30f, 3e38f, 1e-30f, 1e-42f}) {
                float[] x = Reference.filled(n, scale);
                x[n / 2] = -scale;
                double want = Math.sqrt(n) * (double) scale;
                try (FloatArray dx = be.upload(x)) {
                    float got = be.nrm2(dx);
                    double tolerance = scale < 1e-38f ? 1e-3 : 1e-5; // subnormal inputs carry few significant bits
                    if (want > Float.MAX_VALUE) {
                        assertEquals(Float.POSITIVE_INFINITY, got, "nrm2 beyond float range, n=" + n);
                    } else {
                        assertEquals(1.0, got / want, tolerance, "nrm2 of " + n + " x " + scale);
                    }
                }
            }
        }
        float[] mixed = {1e-30f, 3e30f, 0, -4e30f, 1e-40f};
        try (FloatArray dx = be.upload(mixed)) {
            assertEquals(5e30f, be.nrm2(dx), 5e30f * 1e-6f);
        }
        try (FloatArray zeros = be.allocate(5000)) {
            assertEquals(0f, be.nrm2(zeros));
        }
    }

    @Test
    default void levelOneRejectsMismatchedLengths() {
        Backend be = backend();
        try (FloatArray x = be.allocate(5); FloatArray y = be.allocate(6)) {
            assertThrows(IllegalArgumentException.class, () -> be.axpy(1, x, y));
            assertThrows(IllegalArgumentException.class, () -> be.dot(x, y));
            assertThrows(IllegalArgumentException.class, () -> be.copy(x, y));
        }
    }

    // ---------------------------------------------------------------- pairwise distances

    @Test
    default void pairwiseSquaredDistancesMatchTheReference() {
        SplittableRandom r = new SplittableRandom(13);
        int[][] shapes = {{1, 1}, {2, 3}, {13, 207}, {40, 5000}, {7, 0}};
        for (int[] s : shapes) {
            for (float centre : new float[] {0, 100}) {
                int n = s[0], d = s[1];
                float[] x = new float[n * d];
                for (int i = 0; i < x.length; i++) {
                    x[i] = centre + (float) (2 * r.nextDouble() - 1);
                }
                checkPairwise(n, d, x, "n=" + n + " d=" + d + " centre=" + centre);
            }
        }
    }

    private void checkPairwise(int n, int d, float[] x, String what) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                mean[p] += x[i * d + p] / (double) n;
            }
        }
        double[] spread = new double[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                double v = x[i * d + p] - mean[p];
                spread[i] += v * v;
            }
        }
        Backend be = backend();
        try (FloatArray dx = be.upload(x); Guarded out = Guarded.of(be, Reference.filled(n * n, Float.NaN), 3)) {
            be.pairwiseSquaredDistances(n, d, dx, out.view);
            float[] got = out.content();
            for (int i = 0; i < n; i++) {
                assertEquals(0f, got[i * n + i], what + ": diagonal");
                for (int j = 0; j < n; j++) {
                    double want = 0;
                    for (int p = 0; p < d; p++) {
                        double diff = (double) x[i * d + p] - x[j * d + p];
                        want += diff * diff;
                    }
                    double bound = slack() * 2 * (d + 4) * Reference.U * (spread[i] + spread[j]) + Double.MIN_NORMAL;
                    float v = got[i * n + j];
                    assertTrue(v >= 0 && Math.abs(v - want) <= bound, what + ": D[" + i + "," + j + "] = " + v + " vs " + want);
                    assertEquals(v, got[j * n + i], what + ": symmetry");
                }
            }
            out.assertGuardsIntact(what);
        }
    }

    // ---------------------------------------------------------------- network helpers

    @Test
    default void addRowVectorAndColumnSums() {
        SplittableRandom r = new SplittableRandom(17);
        Backend be = backend();
        int[][] shapes = {{1, 1}, {3, 13}, {256, 10}, {33, 207}, {5, 1030}, {0, 4}};
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1];
            String what = rows + " x " + cols;
            float[] m = Reference.random(r, rows * cols), bias = Reference.random(r, cols);
            try (Guarded gm = Guarded.of(be, m, 2); FloatArray db = be.upload(bias);
                 Guarded sums = Guarded.of(be, Reference.filled(cols, Float.NaN), 2)) {
                be.columnSums(rows, cols, gm.view, sums.view);
                float[] got = sums.content();
                for (int j = 0; j < cols; j++) {
                    double want = 0, abs = 0;
                    for (int i = 0; i < rows; i++) {
                        want += m[i * cols + j];
                        abs += Math.abs(m[i * cols + j]);
                    }
                    assertTrue(Math.abs(got[j] - want) <= slack() * (rows + 2) * Reference.U * abs, what + ": column " + j);
                }
                sums.assertGuardsIntact("columnSums " + what);
                be.addRowVector(rows, cols, gm.view, db);
                float[] added = gm.content();
                for (int i = 0; i < rows * cols; i++) {
                    assertEquals(m[i] + bias[i % cols], added[i], what + ": addRowVector at " + i);
                }
                gm.assertGuardsIntact("addRowVector " + what);
            }
        }
    }

    @Test
    default void reluAndItsBackwardMaskAtAwkwardLengths() {
        SplittableRandom r = new SplittableRandom(19);
        Backend be = backend();
        for (int n : AWKWARD) {
            float[] x = Reference.random(r, n), g = Reference.random(r, n);
            if (n > 2) {
                x[0] = -0f;
                x[1] = Float.NaN;
                x[2] = 0f;
            }
            try (Guarded gx = Guarded.of(be, x, 3); Guarded gg = Guarded.of(be, g, 3)) {
                be.relu(gx.view);
                float[] act = gx.content();
                for (int i = 0; i < n; i++) {
                    assertEquals(x[i] > 0 ? x[i] : 0f, act[i], "relu n=" + n + " at " + i);
                }
                be.reluBackward(gx.view, gg.view);
                float[] masked = gg.content();
                for (int i = 0; i < n; i++) {
                    assertEquals(act[i] > 0 ? g[i] : 0f, masked[i], "reluBackward n=" + n + " at " + i);
                }
                gx.assertGuardsIntact("relu n=" + n);
                gg.assertGuardsIntact("reluBackward n=" + n);
            }
        }
    }

    // ---------------------------------------------------------------- convolution helpers

    /** channels, batch, height, width, kernel: odd and even sides, a kernel the image's size, a 1 x 1 kernel. */
    int[][] IMAGE_SHAPES = {{1, 1, 5, 5, 3}, {3, 2, 7, 6, 3}, {2, 3, 4, 9, 4}, {4, 1, 6, 6, 6}, {2, 2, 3, 5, 1},
        {5, 4, 12, 12, 5}, {1, 0, 4, 4, 2}};

    @Test
    default void im2colCopiesEachPatchToItsColumn() {
        SplittableRandom r = new SplittableRandom(23);
        Backend be = backend();
        for (int[] s : IMAGE_SHAPES) {
            int c = s[0], b = s[1], h = s[2], w = s[3], k = s[4], oh = h - k + 1, ow = w - k + 1;
            String what = java.util.Arrays.toString(s);
            float[] images = Reference.random(r, c * b * h * w);
            try (Guarded gi = Guarded.of(be, images, 2);
                 Guarded cols = Guarded.of(be, Reference.filled(c * k * k * b * oh * ow, Float.NaN), 3)) {
                be.im2col(c, b, h, w, k, gi.view, cols.view);
                float[] got = cols.content();
                int width = b * oh * ow;
                for (int ch = 0; ch < c; ch++) {
                    for (int ki = 0; ki < k; ki++) {
                        for (int kj = 0; kj < k; kj++) {
                            for (int n = 0; n < b; n++) {
                                for (int y = 0; y < oh; y++) {
                                    for (int x = 0; x < ow; x++) {
                                        float want = images[((ch * b + n) * h + y + ki) * w + x + kj];
                                        int at = ((ch * k + ki) * k + kj) * width + (n * oh + y) * ow + x;
                                        assertEquals(want, got[at], what + ": im2col at " + at);
                                    }
                                }
                            }
                        }
                    }
                }
                cols.assertGuardsIntact("im2col " + what);
            }
        }
    }

    @Test
    default void col2imSumsEveryPatchEntryBackIntoItsPixel() {
        SplittableRandom r = new SplittableRandom(29);
        Backend be = backend();
        for (int[] s : IMAGE_SHAPES) {
            int c = s[0], b = s[1], h = s[2], w = s[3], k = s[4], oh = h - k + 1, ow = w - k + 1;
            String what = java.util.Arrays.toString(s);
            float[] columns = Reference.random(r, c * k * k * b * oh * ow);
            double[] want = new double[c * b * h * w];
            double[] abs = new double[want.length];
            int width = b * oh * ow;
            for (int ch = 0; ch < c; ch++) {
                for (int ki = 0; ki < k; ki++) {
                    for (int kj = 0; kj < k; kj++) {
                        for (int n = 0; n < b; n++) {
                            for (int y = 0; y < oh; y++) {
                                for (int x = 0; x < ow; x++) {
                                    float v = columns[((ch * k + ki) * k + kj) * width + (n * oh + y) * ow + x];
                                    int pixel = ((ch * b + n) * h + y + ki) * w + x + kj;
                                    want[pixel] += v;
                                    abs[pixel] += Math.abs(v);
                                }
                            }
                        }
                    }
                }
            }
            try (Guarded gc = Guarded.of(be, columns, 2);
                 Guarded images = Guarded.of(be, Reference.filled(want.length, Float.NaN), 3)) {
                be.col2im(c, b, h, w, k, gc.view, images.view);
                float[] got = images.content();
                for (int i = 0; i < want.length; i++) {
                    double bound = slack() * (k * k + 1) * Reference.U * abs[i];
                    assertTrue(Math.abs(got[i] - want[i]) <= bound, what + ": col2im at " + i + " got " + got[i]
                            + ", want " + want[i]);
                }
                images.assertGuardsIntact("col2im " + what);
            }
        }
    }

    @Test
    default void maxPoolTakesEachWindowsMaximumAndRoutesItsGradientToItsFirstPosition() {
        SplittableRandom r = new SplittableRandom(31);
        Backend be = backend();
        int[][] shapes = {{1, 2, 2}, {3, 5, 7}, {6, 8, 8}, {2, 24, 24}, {0, 4, 4}};
        for (int[] s : shapes) {
            int planes = s[0], h = s[1], w = s[2], ph = h / 2, pw = w / 2;
            String what = java.util.Arrays.toString(s);
            float[] in = new float[planes * h * w];
            float[] few = {-1, 0, 1, -0f}; // ties in most windows, +0 and -0 among them
            for (int i = 0; i < in.length; i++) {
                in[i] = few[r.nextInt(few.length)];
            }
            if (in.length > w + 1) {
                in[w + 1] = Float.NaN; // the first window's bottom-right
            }
            float[] gradOut = Reference.random(r, planes * ph * pw);
            float[] wantOut = new float[gradOut.length];
            float[] wantGrad = new float[in.length];
            for (int p = 0; p < planes; p++) {
                for (int y = 0; y < ph; y++) {
                    for (int x = 0; x < pw; x++) {
                        int corner = (p * h + 2 * y) * w + 2 * x;
                        int[] window = {corner, corner + 1, corner + w, corner + w + 1};
                        float max = Math.max(Math.max(in[window[0]], in[window[1]]),
                                Math.max(in[window[2]], in[window[3]]));
                        int first = 0;
                        while (Float.compare(in[window[first]], max) != 0) {
                            first++;
                        }
                        int o = (p * ph + y) * pw + x;
                        wantOut[o] = max;
                        wantGrad[window[first]] = gradOut[o];
                    }
                }
            }
            try (Guarded gi = Guarded.of(be, in, 2); Guarded go = Guarded.of(be, gradOut, 2);
                 Guarded out = Guarded.of(be, Reference.filled(wantOut.length, 7f), 3);
                 Guarded grad = Guarded.of(be, Reference.filled(in.length, 7f), 3)) {
                be.maxPool(planes, h, w, gi.view, out.view);
                assertArrayEqualsExactly(wantOut, out.content(), "maxPool " + what);
                be.maxPoolBackward(planes, h, w, gi.view, go.view, grad.view);
                assertArrayEqualsExactly(wantGrad, grad.content(), "maxPoolBackward " + what);
                out.assertGuardsIntact("maxPool " + what);
                grad.assertGuardsIntact("maxPoolBackward " + what);
            }
        }
    }

    @Test
    default void swapAxesTransposesTheOuterTwoAxes() {
        SplittableRandom r = new SplittableRandom(37);
        Backend be = backend();
        for (int[] s : new int[][] {{1, 1, 1}, {3, 5, 16}, {50, 25, 16}, {7, 2, 1}, {4, 3, 0}}) {
            int a = s[0], b = s[1], block = s[2];
            float[] in = Reference.random(r, a * b * block);
            float[] want = new float[in.length];
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    System.arraycopy(in, (i * b + j) * block, want, (j * a + i) * block, block);
                }
            }
            try (Guarded gi = Guarded.of(be, in, 2); Guarded out = Guarded.of(be, Reference.filled(in.length, 7f), 3)) {
                be.swapAxes(a, b, block, gi.view, out.view);
                assertArrayEqualsExactly(want, out.content(), "swapAxes " + java.util.Arrays.toString(s));
                out.assertGuardsIntact("swapAxes");
            }
        }
    }

    @Test
    default void convolutionHelpersRejectShapesThatDoNotFit() {
        Backend be = backend();
        try (FloatArray images = be.allocate(2 * 16); FloatArray columns = be.allocate(2 * 9 * 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> be.im2col(2, 1, 4, 4, 5, images, columns));
            assertTrue(e.getMessage().contains("5 x 5 kernel"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> be.col2im(2, 1, 4, 4, 1, columns, images));
            assertTrue(e.getMessage().contains("columns"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> be.maxPool(2, 4, 4, images, columns));
            assertTrue(e.getMessage().contains("out"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> be.swapAxes(3, 4, 2, images, columns));
            assertTrue(e.getMessage().contains("in"), e.getMessage());
        }
    }

    @Test
    default void softmaxCrossEntropyMatchesTheReference() {
        SplittableRandom r = new SplittableRandom(23);
        Backend be = backend();
        for (int[] s : new int[][] {{1, 1}, {1, 10}, {256, 10}, {13, 207}}) {
            int rows = s[0], cols = s[1];
            float[] logits = Reference.random(r, rows * cols);
            for (int i = 0; i < logits.length; i++) {
                logits[i] *= 30; // large logits exercise the max shift
            }
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = r.nextInt(cols);
            }
            double wantLoss = 0;
            double[] wantGrad = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, logits[i * cols + j]);
                }
                for (int j = 0; j < cols; j++) {
                    sum += Math.exp(logits[i * cols + j] - max);
                }
                wantLoss += Math.log(sum) + max - logits[i * cols + labels[i]];
                for (int j = 0; j < cols; j++) {
                    wantGrad[i * cols + j] = Math.exp(logits[i * cols + j] - max) / sum - (j == labels[i] ? 1 : 0);
                }
            }
            for (boolean aliased : new boolean[] {false, true}) {
                String what = rows + " x " + cols + (aliased ? " in place" : "");
                try (Guarded gl = Guarded.of(be, logits, 2); Guarded gg = Guarded.of(be, new float[rows * cols], 2)) {
                    FloatArray grad = aliased ? gl.view : gg.view;
                    double loss = be.softmaxCrossEntropy(rows, cols, gl.view, labels, grad);
                    assertEquals(wantLoss, loss, 1e-5 * Math.max(1, Math.abs(wantLoss)), what + ": loss");
                    float[] got = grad.toHost();
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(wantGrad[i], got[i], 1e-6, what + ": gradient at " + i);
                    }
                    gl.assertGuardsIntact(what);
                    gg.assertGuardsIntact(what);
                }
            }
        }
    }

    @Test
    default void softmaxCrossEntropyRejectsLabelsOutOfRange() {
        Backend be = backend();
        try (FloatArray logits = be.allocate(6)) {
            assertThrows(IllegalArgumentException.class,
                    () -> be.softmaxCrossEntropy(2, 3, logits, new int[] {0, 3}, logits));
        }
    }

    // ---------------------------------------------------------------- ownership, copies, threads

    @Test
    default void rejectsArraysOfAnotherBackend() {
        Backend be = backend();
        try (JavaBackend other = new JavaBackend(); FloatArray foreign = other.allocate(4); FloatArray own = be.allocate(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.axpy(1, foreign, own));
            assertTrue(e.getMessage().contains("x"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> be.dot(own, foreign));
        }
    }

    @Test
    default void hostCopiesAreBoundsCheckedAndSlicesShareStorage() {
        Backend be = backend();
        try (FloatArray a = be.upload(new float[] {1, 2, 3, 4, 5, 6})) {
            FloatArray mid = a.slice(2, 3);
            assertEquals(3, mid.length());
            assertArrayEqualsExactly(new float[] {3, 4, 5}, mid.toHost(), "slice contents");
            mid.copyFromHost(new float[] {9, 8}, 0, 1, 2);
            assertArrayEqualsExactly(new float[] {1, 2, 3, 9, 8, 6}, a.toHost(), "write through a slice");
            float[] dst = new float[4];
            a.copyToHost(4, dst, 1, 2);
            assertArrayEqualsExactly(new float[] {0, 8, 6, 0}, dst, "partial copy to host");
            assertThrows(IndexOutOfBoundsException.class, () -> a.slice(4, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> mid.copyToHost(1, dst, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> mid.copyFromHost(new float[2], 0, 2, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> a.copyFromHost(new float[2], 1, 0, 2));
            mid.close(); // a view: closing it frees nothing
            assertEquals(6f, a.toHost()[5]);
        }
    }

    @Test
    default void concurrentCallersGetCorrectResults() throws Exception {
        Backend be = backend();
        int m = 150, n = 130, k = 170;
        SplittableRandom r = new SplittableRandom(29);
        float[] a = Reference.random(r, m * k), b = Reference.random(r, k * n);
        double[][] ref = Reference.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, new float[m * n], 0, n, slack());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (FloatArray da = be.upload(a); FloatArray db = be.upload(b)) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(callers.submit(() -> {
                    try (FloatArray dc = be.allocate((long) m * n)) {
                        be.gemm(Transpose.NO, Transpose.NO, m, n, k, 1, da, k, db, n, 0, dc, n);
                        return dc.toHost();
                    }
                }));
            }
            for (Future<float[]> f : results) {
                float[] c = f.get();
                for (int i = 0; i < c.length; i++) {
                    assertTrue(Math.abs(c[i] - ref[0][i]) <= ref[1][i], "concurrent gemm at " + i);
                }
            }
        } finally {
            callers.shutdown();
        }
    }

    private static void assertArrayEqualsExactly(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                fail(what + ": at " + i + " got " + got[i] + ", want " + want[i]);
            }
        }
    }
}
