package dev.hansa.aggregation.random;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;

/** The two index draws Hansa's samplers and procedures make, each written once so their streams stay specified. */
public final class Draws {

    /** Draws of fewer than n / SPARSE_BELOW indices store only the displaced positions of the shuffle. */
    private static final int SPARSE_BELOW = 8;

    private Draws() {
    }

    /**
     * {@code m} distinct indices of {@code [0, n)}, sorted: the first m steps of a Fisher-Yates shuffle of
     * 0..n-1 drawn from {@code Seeds.generator(seed)} ({@code j = i + nextInt(n - i)} for i = 0..m-1).
     */
    public static int[] distinctSorted(int n, int m, long seed) {
        return distinctSorted(n, m, Seeds.generator(seed)::nextInt);
    }

    /** The same draw with {@code below.applyAsInt(b)} uniform on {@code [0, b)} as the bounded draw. */
    public static int[] distinctSorted(int n, int m, IntUnaryOperator below) {
        if (m < 0 || m > n) {
            throw new IllegalArgumentException("cannot draw " + m + " distinct indices of " + n);
        }
        int[] chosen = (long) m * SPARSE_BELOW < n ? sparseShuffle(n, m, below) : denseShuffle(n, m, below);
        Arrays.sort(chosen);
        return chosen;
    }

    /** The first m entries of the shuffle over an array of all n indices. */
    private static int[] denseShuffle(int n, int m, IntUnaryOperator below) {
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        for (int i = 0; i < m; i++) {
            swap(index, i, i + below.applyAsInt(n - i));
        }
        return Arrays.copyOf(index, m);
    }

    /**
     * The same m entries with only the displaced positions stored: position j holds {@code moved.get(j)} if the
     * shuffle wrote it, else j; step i never reads a position below i again, so i's new value need not be kept.
     * O(m) memory where the array takes n (rand-k regenerates k of d indices per update on the server).
     */
    private static int[] sparseShuffle(int n, int m, IntUnaryOperator below) {
        Map<Integer, Integer> moved = new HashMap<>(2 * m);
        int[] chosen = new int[m];
        for (int i = 0; i < m; i++) {
            int j = i + below.applyAsInt(n - i);
            chosen[i] = moved.getOrDefault(j, j);
            moved.put(j, moved.getOrDefault(i, i));
        }
        return chosen;
    }

    /** Shuffles {@code values} in place: Fisher-Yates from the end, {@code j = nextInt(i + 1)} for i = n-1..1. */
    public static void shuffle(int[] values, RandomGenerator random) {
        for (int i = values.length - 1; i > 0; i--) {
            swap(values, i, random.nextInt(i + 1));
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
