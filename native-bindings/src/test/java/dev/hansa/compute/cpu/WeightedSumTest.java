package dev.hansa.compute.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fold against the plain loop {@code sum[i] += w * (double) x[i]}, bit for bit, at sizes around the vector
 * widths and the split threshold, and for thread counts and range sizes that cut the arrays unevenly.
 */
class WeightedSumTest {

    private static final int[] AWKWARD = {0, 1, 2, 7, 13, 15, 16, 17, 31, 33, 64, 207, 1023, 1025, 4098, 100_003,
            WeightedSum.PARALLEL_MIN_ELEMENTS + 5};

    /** The reference: the statement the server folded with before the kernel existed. */
    private static void scalarFold(double[] sum, double w, float[] x) {
        for (int i = 0; i < x.length; i++) {
            sum[i] += w * (double) x[i];
        }
    }

    /** Floats across the whole range: ordinary, tiny, huge, subnormal, signed zeros. */
    private static float[] values(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (r.nextInt(8)) {
                case 0 -> (float) (r.nextGaussian() * 1e30);
                case 1 -> (float) (r.nextGaussian() * 1e-30);
                case 2 -> Float.MIN_VALUE * r.nextInt(1, 1000);
                case 3 -> r.nextBoolean() ? 0f : -0f;
                default -> (float) r.nextGaussian();
            };
        }
        return x;
    }

    /** Folds five updates with awkward weights through {@code fold} and through the reference; asserts equal bits. */
    private static void assertMatchesTheScalarLoop(WeightedSum fold, String what) {
        SplittableRandom r = new SplittableRandom(11);
        double[] weights = {1, 0.1, 613, 1e-300, -2.5};
        for (int n : AWKWARD) {
            double[] got = new double[n];
            double[] want = new double[n];
            for (double w : weights) {
                float[] x = values(r, n);
                fold.add(got, w, x);
                scalarFold(want, w, x);
            }
            for (int i = 0; i < n; i++) {
                if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(want[i])) {
                    throw new AssertionError(what + ", n = " + n + ": sum[" + i + "] = " + got[i] + ", the scalar loop gives "
                            + want[i]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 5})
    void theFoldMatchesTheScalarLoopBitForBitHoweverItIsSplit(int threads) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            assertMatchesTheScalarLoop(new WeightedSum(pool), "default blocks");
            assertMatchesTheScalarLoop(new WeightedSum(pool, 1, 1), "blocks of 1");
            assertMatchesTheScalarLoop(new WeightedSum(pool, 1, 100), "blocks of 100");
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3})
    void severalUpdatesInOnePassGiveTheBitsOfOneFoldEach(int threads) {
        SplittableRandom r = new SplittableRandom(5);
        double[] weights = {1, 0.1, 613, 1e-300, -2.5, 7, 0.5, 3, 1e300};
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (WeightedSum fold : new WeightedSum[] {new WeightedSum(pool), new WeightedSum(pool, 1, 100)}) {
                for (int n : AWKWARD) {
                    for (int k = 1; k <= weights.length; k++) {
                        float[][] xs = new float[k][];
                        double[] start = new double[n];
                        Arrays.setAll(start, i -> r.nextGaussian());
                        double[] want = start.clone();
                        for (int u = 0; u < k; u++) {
                            xs[u] = values(r, n);
                            scalarFold(want, weights[u], xs[u]);
                        }
                        double[] got = start.clone();
                        fold.add(got, Arrays.copyOf(weights, k), xs);
                        for (int i = 0; i < n; i++) {
                            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
                                    k + " updates, n = " + n + ", sum[" + i + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFusedMultiplyAddWouldNotPass() {
        // A case where fma(w, x, s) and s + w * x differ: the fold must give the unfused result, vectorised or not.
        double s = -1.0, w = 1.0 + 0x1p-30; // w * x needs 54 bits; the cancellation exposes the rounding
        float x = 1f + 0x1p-23f;
        double unfused = s + w * x;
        assertNotEquals(Math.fma(w, x, s), unfused, "the case must tell the two apart");
        for (int n : new int[] {1, 64, WeightedSum.PARALLEL_MIN_ELEMENTS + 5}) {
            double[] sum = new double[n];
            float[] xs = new float[n];
            Arrays.fill(sum, s);
            Arrays.fill(xs, x);
            WeightedSum.shared().add(sum, w, xs);
            for (double v : sum) {
                assertEquals(unfused, v, "n = " + n);
            }
        }
    }

    @Test
    void nonFiniteValuesPropagateAsInTheScalarLoop() {
        float[] x = new float[40];
        x[3] = Float.NaN;
        x[20] = Float.POSITIVE_INFINITY;
        x[37] = Float.NEGATIVE_INFINITY;
        double[] sum = new double[40];
        sum[37] = Double.POSITIVE_INFINITY;
        WeightedSum.shared().add(sum, 2, x);
        assertTrue(Double.isNaN(sum[3]));
        assertEquals(Double.POSITIVE_INFINITY, sum[20]);
        assertTrue(Double.isNaN(sum[37]), "inf - inf");
        assertEquals(0.0, sum[0]);
    }

    @Test
    void arraysOfDifferentLengthsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightedSum.shared().add(new double[3], 1, new float[4]));
        assertEquals("sum has length 3 but x has length 4", e.getMessage());
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class,
                () -> WeightedSum.shared().add(new double[3], new double[] {1, 2}, new float[][] {new float[3], new float[2]}));
        assertEquals("sum has length 3 but x has length 2", second.getMessage());
        IllegalArgumentException counts = assertThrows(IllegalArgumentException.class,
                () -> WeightedSum.shared().add(new double[3], new double[] {1}, new float[][] {new float[3], new float[3]}));
        assertEquals("1 weights for 2 updates", counts.getMessage());
    }
}
