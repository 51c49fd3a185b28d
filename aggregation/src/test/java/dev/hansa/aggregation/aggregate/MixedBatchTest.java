package dev.hansa.aggregation.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The column reads of mixed batches against the combinations recomputed here from the rows themselves: one level of
 * mixing bit for bit against the plain double sum in row order, several levels against the nested combination kept
 * in double throughout (the batch composes the mixes, so its sums differ from it only by double rounding).
 */
class MixedBatchTest {

    private static List<float[]> rows(int n, int d, Random r) {
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = new float[d];
            double scale = i == n - 1 ? 1e4 : 1; // one outlier, as a Byzantine row is
            for (int j = 0; j < d; j++) {
                row[j] = (float) (scale * r.nextGaussian());
            }
            rows.add(row);
        }
        return rows;
    }

    /** n' x n coefficients, about a third of them zero, and a zero row: the reads must skip and still be right. */
    private static double[][] mix(int outRows, int n, Random r) {
        double[][] m = new double[outRows][n];
        for (int i = 0; i < outRows - 1; i++) {
            for (int k = 0; k < n; k++) {
                m[i][k] = r.nextInt(3) == 0 ? 0 : r.nextGaussian();
            }
        }
        return m;
    }

    /** Nearest-neighbour mixing's shape: each row the mean of n - f rows, itself among them. */
    private static double[][] neighbours(int n, int f, Random r) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            List<Integer> others = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    others.add(k);
                }
            }
            Collections.shuffle(others, r);
            m[i][i] = 1.0 / (n - f);
            for (int k : others.subList(0, n - f - 1)) {
                m[i][k] = 1.0 / (n - f);
            }
        }
        return m;
    }

    /** Clipping's shape: a diagonal of scales. */
    private static double[][] diagonal(int n, Random r) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = r.nextDouble();
        }
        return m;
    }

    private static double[][] inDouble(List<float[]> rows) {
        double[][] x = new double[rows.size()][];
        for (int k = 0; k < x.length; k++) {
            float[] row = rows.get(k);
            x[k] = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                x[k][j] = row[j];
            }
        }
        return x;
    }

    /** {@code y_i = sum_k m[i][k] x_k}, in double, k in order, the terms with a zero coefficient left out. */
    private static double[][] apply(double[][] m, double[][] x) {
        double[][] y = new double[m.length][x[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int k = 0; k < x.length; k++) {
                for (int j = 0; j < y[i].length && m[i][k] != 0; j++) {
                    y[i][j] += m[i][k] * x[k][j];
                }
            }
        }
        return y;
    }

    private static float[] read(UpdateBatch batch, int from, int to) {
        float[] out = new float[batch.size() * (to - from)];
        Arrays.fill(out, Float.NaN);
        batch.readColumns(from, to, out);
        return out;
    }

    private static HeapBatch heap(List<float[]> rows, int d) {
        double[] weights = new double[rows.size()];
        Arrays.fill(weights, 1);
        return new HeapBatch(rows, weights, d);
    }

    private static MixedBatch mixed(UpdateBatch base, double[][] mix) {
        double[] weights = new double[mix.length];
        Arrays.fill(weights, 1);
        return new MixedBatch(base, mix, weights);
    }

    @Test
    void oneLevelReadsTheDoubleSumInRowOrderRoundedOnce() {
        Random r = new Random(1);
        int n = 12;
        int d = 2500;
        List<float[]> rows = rows(n, d, r);
        double[][] m = mix(9, n, r);
        MixedBatch batch = mixed(heap(rows, d), m);
        int from = 37;
        int to = 2069;
        float[] got = read(batch, from, to);
        for (int i = 0; i < m.length; i++) {
            for (int j = from; j < to; j++) {
                double y = 0;
                for (int k = 0; k < n; k++) {
                    y += m[i][k] * rows.get(k)[j];
                }
                assertEquals((float) y, got[i * (to - from) + j - from], "row " + i + " column " + j);
            }
        }
    }

    @Test
    void aBatchWithoutItsOwnMixedReadCombinesTheColumnsItReadsToTheSameBits() {
        Random r = new Random(2);
        int n = 7;
        int d = 1500;
        HeapBatch heap = heap(rows(n, d, r), d);
        UpdateBatch columnsOnly = new ForwardingBatch(heap);
        double[][] m = mix(5, n, r);
        assertArrayEquals(read(mixed(heap, m), 100, 1337), read(mixed(columnsOnly, m), 100, 1337));
    }

    @Test
    void chainsOfMixesReadTheNestedCombinationInDoubleRoundedOnce() {
        Random r = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 3 + r.nextInt(14);
            int d = 1 + r.nextInt(3000);
            List<float[]> rows = rows(n, d, r);
            double[][] clip = diagonal(n, r);
            double[][] nnm = trial % 2 == 0 ? mix(n, n, r) : neighbours(n, r.nextInt(n), r);
            double[][] buckets = trial % 4 == 1 ? mix(1 + r.nextInt(n), n, r) : diagonal(n, r);
            UpdateBatch batch = mixed(mixed(mixed(heap(rows, d), clip), nnm), buckets);
            double[][] exact = apply(buckets, apply(nnm, apply(clip, inDouble(rows))));
            // The mixes' product rounds each coefficient in double, so a value may differ from the nested sum by a
            // few double ulps of its terms' magnitudes: far below a float ulp of the outlier's scale.
            double tolerance = 1e-12 * 1e4;
            int from = r.nextInt(d);
            int to = from + 1 + r.nextInt(d - from);
            float[] got = read(batch, from, to);
            for (int i = 0; i < exact.length; i++) {
                for (int j = from; j < to; j++) {
                    float value = got[i * (to - from) + j - from];
                    double want = exact[i][j];
                    assertTrue(Math.abs(value - (float) want) <= tolerance
                                    || Math.abs(value - want) <= Math.ulp((float) want),
                            "trial " + trial + " row " + i + " column " + j + ": " + value + " vs " + want);
                }
            }
        }
    }

    @Test
    void neighbourMixesAreWithinOneUlpOfTheirDoubleSumAndDropAHugeRowOnlyByDirectSums() {
        Random r = new Random(5);
        for (int f = 1; f <= 4; f++) {
            int n = 10 + f;
            int d = 2100;
            List<float[]> rows = rows(n, d, r);
            for (int j = 0; j < d; j++) {
                rows.get(n - 1)[j] *= 1e8f; // 10^12 in all: the last row is a Byzantine one the others must drop
            }
            double[][] clip = diagonal(n, r);
            double[][] nnm = neighbours(n, f, r);
            for (int i = 0; i < n - 1; i++) {
                if (nnm[i][n - 1] != 0) { // swap the huge row for one it dropped
                    int dropped = 0;
                    while (dropped == i || nnm[i][dropped] != 0) {
                        dropped++;
                    }
                    nnm[i][dropped] = nnm[i][n - 1];
                    nnm[i][n - 1] = 0;
                }
            }
            float[] got = read(mixed(mixed(heap(rows, d), clip), nnm), 0, d);
            double[][] x = inDouble(rows);
            double[][] exact = apply(nnm, apply(clip, x));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double direct = 0; // the composed coefficients, summed in row order
                    for (int k = 0; k < n; k++) {
                        direct += (0 + nnm[i][k] * clip[k][k]) * x[k][j];
                    }
                    float value = got[i * d + j];
                    if (i < n - 1) {
                        assertEquals((float) direct, value, "f " + f + " row " + i + " column " + j);
                    } else {
                        assertTrue(Math.abs(value - exact[i][j]) <= Math.ulp((float) exact[i][j]),
                                "f " + f + " row " + i + " column " + j + ": " + value + " vs " + exact[i][j]);
                    }
                }
            }
        }
    }

    @Test
    void aDroppedRowThatIsNotFiniteReachesNoOtherRow() {
        Random r = new Random(7);
        int n = 12;
        int d = 500;
        List<float[]> rows = rows(n, d, r);
        Arrays.fill(rows.get(n - 1), Float.POSITIVE_INFINITY);
        Arrays.fill(rows.get(0), 0, d / 2, Float.POSITIVE_INFINITY); // kept by most: their kept magnitude is infinite
        double[][] nnm = new double[n][n];
        for (int i = 0; i < n - 1; i++) {
            for (int k = 0; k < n - 2; k++) {
                nnm[i][(i + k) % (n - 1)] = 1.0 / (n - 2); // rows 0..n-2 keep n - 2 of themselves, never row n-1
            }
        }
        for (int k = 2; k < n; k++) {
            nnm[n - 1][k] = 1.0 / (n - 2); // row n-1 keeps itself, so it is in the total
        }
        float[] got = read(mixed(heap(rows, d), nnm), 0, d);
        double[][] exact = apply(nnm, inDouble(rows));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                assertEquals((float) exact[i][j], got[i * d + j], "row " + i + " column " + j);
            }
        }
    }

    @Test
    void neighbourMixesOfOrdinaryRowsAreWithinOneUlpOfTheirDoubleSum() {
        Random r = new Random(6);
        int n = 12;
        int d = 3000;
        List<float[]> rows = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] row = new float[d];
            for (int j = 0; j < d; j++) {
                row[j] = (float) (r.nextGaussian() * (k + 1)); // rows of unequal but ordinary sizes
            }
            rows.add(row);
        }
        double[][] nnm = neighbours(n, 2, r);
        float[] got = read(mixed(heap(rows, d), nnm), 0, d);
        double[][] exact = apply(nnm, inDouble(rows));
        int equal = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                float value = got[i * d + j];
                assertTrue(Math.abs(value - exact[i][j]) <= Math.ulp((float) exact[i][j]),
                        "row " + i + " column " + j + ": " + value + " vs " + exact[i][j]);
                equal += value == (float) exact[i][j] ? 1 : 0;
            }
        }
        assertTrue(equal >= 0.99 * n * d, equal + " of " + n * d + " values are the exact sum rounded");
    }

    @Test
    void theOldLevelByLevelReadsDifferOnlyByTheirExtraRoundings() {
        Random r = new Random(4);
        int n = 12;
        int d = 3000;
        List<float[]> rows = rows(n, d, r);
        double[][] clip = diagonal(n, r);
        double[][] nnm = neighbours(n, 2, r);
        HeapBatch heap = heap(rows, d);
        float[] composed = read(mixed(mixed(heap, clip), nnm), 0, d);
        // Level by level, each level's values rounded to float as reads were before the mixes were composed.
        float[] clipped = read(mixed(heap, clip), 0, d);
        List<float[]> clippedRows = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            clippedRows.add(Arrays.copyOfRange(clipped, k * d, (k + 1) * d));
        }
        float[] levelByLevel = read(mixed(heap(clippedRows, d), nnm), 0, d);
        double[][] exact = apply(nnm, apply(clip, inDouble(rows)));
        double oldError = 0;
        double newError = 0;
        double[] largest = new double[n];
        for (int k = 0; k < n; k++) {
            for (float v : rows.get(k)) {
                largest[k] = Math.max(largest[k], Math.abs(v));
            }
        }
        for (int i = 0; i < n; i++) {
            double bound = 0; // the first level's rounding, carried through the second
            for (int k = 0; k < n; k++) {
                bound += Math.abs(nnm[i][k]) * clip[k][k] * largest[k] * 0x1p-24;
            }
            for (int j = 0; j < d; j++) {
                double want = exact[i][j];
                oldError = Math.max(oldError, Math.abs(levelByLevel[i * d + j] - want));
                newError = Math.max(newError, Math.abs(composed[i * d + j] - want));
                double apart = Math.abs(composed[i * d + j] - levelByLevel[i * d + j]);
                assertTrue(apart <= bound + 2 * Math.ulp((float) want),
                        "row " + i + " column " + j);
            }
        }
        assertTrue(newError <= oldError, newError + " > " + oldError);
    }
}
