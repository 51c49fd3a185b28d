package dev.hansa.aggregation.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DrawsTest {

    /** The specification written out: the first m steps of a Fisher-Yates shuffle of the array 0..n-1, sorted. */
    private static int[] shuffleReference(int n, int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        int[] chosen = Arrays.copyOf(index, m);
        Arrays.sort(chosen);
        return chosen;
    }

    @Test
    void smallDrawsStoringOnlyTheDisplacedPositionsGiveTheShufflesIndices() {
        SplittableRandom sizes = new SplittableRandom(12);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + sizes.nextInt(trial < 400 ? 100 : 100_000);
            // Both sides of the n / 8 switch, and the ends.
            int m = switch (trial % 4) {
                case 0 -> sizes.nextInt(n + 1);
                case 1 -> n / 8;
                case 2 -> Math.max(0, n / 8 - 1);
                default -> trial % 8 == 3 ? 0 : Math.min(n, 1 + sizes.nextInt(Math.max(1, n / 16)));
            };
            long seed = sizes.nextLong();
            SplittableRandom stream = new SplittableRandom(seed);
            assertArrayEquals(shuffleReference(n, m, seed), Draws.distinctSorted(n, m, stream::nextInt),
                    "n " + n + ", m " + m);
        }
    }
}
