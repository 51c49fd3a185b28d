package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SortingNetworkTest {

    private static float[][] randomRows(Random r, int k, int width, boolean withTies) {
        float[][] rows = new float[k][width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                row[j] = withTies ? r.nextInt(4) : (float) r.nextGaussian();
            }
        }
        return rows;
    }

    private static float[] column(float[][] rows, int j) {
        float[] c = new float[rows.length];
        for (int p = 0; p < rows.length; p++) {
            c[p] = rows[p][j];
        }
        return c;
    }

    @Test
    void sortsEveryColumnOfAnyCount() {
        Random r = new Random(1);
        for (int k : IntStream.concat(IntStream.rangeClosed(1, 70),
                IntStream.of(100, 127, 128, 129)).toArray()) {
            for (boolean ties : new boolean[] {false, true}) {
                float[][] rows = randomRows(r, k, 37, ties);
                float[][] expected = new float[k][];
                for (int p = 0; p < k; p++) {
                    expected[p] = rows[p].clone();
                }
                SortingNetwork.full(k).sort(rows, 37);
                for (int j = 0; j < 37; j++) {
                    float[] column = column(expected, j);
                    Arrays.sort(column);
                    assertArrayEquals(column, column(rows, j), "k = " + k + ", column " + j);
                }
            }
        }
    }

    @Test
    void leavesColumnsBeyondTheWidthAlone() {
        float[][] rows = {{3, 9}, {1, 8}, {2, 7}};
        SortingNetwork.full(3).sort(rows, 1);
        assertArrayEquals(new float[][] {{1, 9}, {2, 8}, {3, 7}}, rows);
    }

    @Test
    void aPrunedNetworkKeepsEachGroupsValues() {
        Random r = new Random(2);
        for (int k : new int[] {2, 5, 16, 33, 100}) {
            int b = k / 5;
            int[] groups = new int[k];
            for (int p = 0; p < k; p++) {
                groups[p] = p < b ? 1 : p >= k - b ? -1 : p == k / 2 ? 2 : 0;
            }
            float[][] rows = randomRows(r, k, 21, false);
            float[][] sorted = Arrays.stream(rows).map(float[]::clone).toArray(float[][]::new);
            SortingNetwork.full(k).sort(sorted, 21);
            SortingNetwork.forGroups(groups).sort(rows, 21);
            for (int j = 0; j < 21; j++) {
                for (int g = 0; g <= 2; g++) {
                    assertArrayEquals(group(sorted, groups, g, j), group(rows, groups, g, j),
                            "k = " + k + ", group " + g);
                }
            }
        }
    }

    /** The values of column j at the positions labelled g, in increasing order. */
    private static float[] group(float[][] rows, int[] groups, int g, int j) {
        float[] values = new float[rows.length];
        int count = 0;
        for (int p = 0; p < rows.length; p++) {
            if (groups[p] == g) {
                values[count++] = rows[p][j];
            }
        }
        float[] out = Arrays.copyOf(values, count);
        Arrays.sort(out);
        return out;
    }

    @Test
    void comparatorCountsTheDocsQuote() {
        assertEquals(1101, SortingNetwork.full(100).comparators());
        assertEquals(894, CoordinateMedian.middle(100).comparators());
        assertEquals(0, SortingNetwork.full(1).comparators());
    }
}
