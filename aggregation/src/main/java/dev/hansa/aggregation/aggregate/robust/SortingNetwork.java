package dev.hansa.aggregation.aggregate.robust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fixed sequence of compare-exchanges that sorts k values, applied to many columns at once: the values are k rows
 * of a block and every compare-exchange {@code (lo, hi)} puts the smaller of each column's two values in row
 * {@code lo}, the larger in row {@code hi}. The network is Batcher's odd-even merge sort for the next power of two,
 * cut to k wires (a comparator that touches a wire beyond k would only ever compare against +infinity); for k = 100
 * it has 1101 comparators (Batcher's 1104 less three that repeat the comparison just made on the same pair).
 *
 * <p>Why a network rather than sorting each column: its comparisons do not depend on the data, so one comparator is
 * a branch-free min/max over a whole row of the block, which C2 compiles to vector instructions; per column,
 * quickselect or {@code Arrays.sort} spend most of their time in mispredicted branches (measured on 100 x 1024
 * blocks: 0.7 s per 10^6 columns for {@code Arrays.sort}, 0.2 s for this network).
 *
 * <p>A rule that reads only some sorted positions names them in groups ({@link #forGroups}): the network then drops
 * every comparator that cannot change the multiset of values in any group, e.g. for a median (one group holding the
 * one or two middle positions, all else free) 894 of the 1101.
 */
final class SortingNetwork {

    private final int size;
    private final int[] lo;
    private final int[] hi;

    private SortingNetwork(int size, int[] lo, int[] hi) {
        this.size = size;
        this.lo = lo;
        this.hi = hi;
    }

    /** Sorts k values completely. */
    static SortingNetwork full(int k) {
        int[] groups = new int[k];
        for (int p = 0; p < k; p++) {
            groups[p] = p;
        }
        return forGroups(groups);
    }

    /**
     * Sorts k = {@code groups.length} values as far as a reader of the sorted positions needs: afterwards, for each
     * group label g >= 0, the values at the positions p with {@code groups[p] == g} are, as a multiset, the values a
     * full sort puts there. Positions labelled -1 are not read.
     */
    static SortingNetwork forGroups(int[] groups) {
        int k = groups.length;
        List<int[]> batcher = batcher(k);
        // Backwards from the outputs: a comparator whose two wires carry values that matter only as members of the
        // same multiset merely swaps within it and can go. One that stays makes its two inputs matter as a pair.
        int[] label = groups.clone();
        int fresh = Arrays.stream(groups).max().orElse(0) + 1;
        boolean[] keep = new boolean[batcher.size()];
        int kept = 0;
        for (int c = batcher.size() - 1; c >= 0; c--) {
            int a = batcher.get(c)[0];
            int b = batcher.get(c)[1];
            if (label[a] != label[b]) {
                keep[c] = true;
                kept++;
                label[a] = fresh;
                label[b] = fresh;
                fresh++;
            }
        }
        int[] lo = new int[kept];
        int[] hi = new int[kept];
        for (int c = 0, i = 0; c < keep.length; c++) {
            if (keep[c]) {
                lo[i] = batcher.get(c)[0];
                hi[i++] = batcher.get(c)[1];
            }
        }
        return new SortingNetwork(k, lo, hi);
    }

    /** Batcher's odd-even merge sort on k wires, comparators in order (each {@code {lo, hi}}, lo < hi). */
    private static List<int[]> batcher(int k) {
        List<int[]> out = new ArrayList<>();
        for (int p = 1; p < k; p <<= 1) {
            for (int s = p; s >= 1; s >>= 1) {
                for (int j = s % p; j + s < k; j += 2 * s) {
                    for (int i = 0; i < s && i + j + s < k; i++) {
                        if ((i + j) / (2 * p) == (i + j + s) / (2 * p)) {
                            out.add(new int[] {i + j, i + j + s});
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The number of values it sorts. */
    int size() {
        return size;
    }

    /** Compare-exchanges it runs. */
    int comparators() {
        return lo.length;
    }

    /** Sorts columns {@code [0, width)} of {@code rows[0..k)} in place (each row at least {@code width} long). */
    void sort(float[][] rows, int width) {
        for (int c = 0; c < lo.length; c++) {
            float[] low = rows[lo[c]];
            float[] high = rows[hi[c]];
            for (int j = 0; j < width; j++) {
                float x = low[j];
                float y = high[j];
                low[j] = Math.min(x, y);
                high[j] = Math.max(x, y);
            }
        }
    }
}
