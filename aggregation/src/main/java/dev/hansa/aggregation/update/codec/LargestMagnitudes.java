package dev.hansa.aggregation.update.codec;

/**
 * The k entries of largest magnitude {@code |v_i|}, equal magnitudes to the lower index: the selection {@code topk},
 * {@code sparseloco} (per chunk) and {@code countsketch} (on its estimates) share, so that the choice is a function
 * of the values alone.
 *
 * <p>Linear time, worst case included: a radix selection on the magnitude's bits (those of a non-negative float
 * order as its value; a NaN's lie above infinity's, so a NaN counts as the largest). One pass histograms the top 11
 * of the 31 bits and picks the bin that holds the k-th largest; the magnitudes in that bin are copied out and the
 * next 10 bits, then the last 10, are histogrammed among them alone. What is left is the k-th largest magnitude t and
 * how many of the k are ties at t; a last pass in index order keeps every entry above t and the first such ties.
 * That is three passes over v and a few over the candidates, against the O(d log d) of sorting (magnitude, index)
 * keys, which it replaces with exactly the same output.
 */
public final class LargestMagnitudes {

    /** The digits, most significant first: bits 30..20, 19..10, 9..0 of the magnitude. */
    private static final int[] SHIFTS = {20, 10, 0};
    private static final int[] WIDTHS = {11, 10, 10};

    private LargestMagnitudes() {
    }

    /** The indices of the k largest magnitudes, ascending; {@code 0 <= k <= v.length}. */
    public static int[] indices(float[] v, int k) {
        if (k < 0 || k > v.length) {
            throw new IllegalArgumentException("k must be in [0, " + v.length + "], got " + k);
        }
        int[] kept = new int[k];
        if (k == v.length) {
            for (int i = 0; i < k; i++) {
                kept[i] = i;
            }
            return kept;
        }
        if (k == 0) {
            return kept;
        }
        Threshold t = kthLargest(v, k);
        int ties = t.ties();
        for (int i = 0, j = 0; j < k; i++) {
            int m = magnitude(v[i]);
            if (m > t.magnitude() || m == t.magnitude() && ties-- > 0) {
                kept[j++] = i;
            }
        }
        return kept;
    }

    /** The k-th largest magnitude, and how many of the k largest equal it (the rest are above it). */
    private record Threshold(int magnitude, int ties) {
    }

    private static Threshold kthLargest(float[] v, int k) {
        int rank = k;
        int prefix = 0;
        int[] candidates = null;
        int n = 0;
        for (int digit = 0; digit < SHIFTS.length; digit++) {
            int shift = SHIFTS[digit];
            int mask = (1 << WIDTHS[digit]) - 1;
            int[] counts = new int[mask + 1];
            if (candidates == null) {
                for (float x : v) {
                    counts[magnitude(x) >>> shift]++;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    counts[candidates[i] >>> shift & mask]++;
                }
            }
            int bin = mask + 1;
            while (rank > counts[--bin]) {
                rank -= counts[bin];
            }
            prefix |= bin << shift;
            if (digit == SHIFTS.length - 1) {
                break;
            }
            if (candidates == null) {
                candidates = new int[counts[bin]];
                for (float x : v) {
                    int m = magnitude(x);
                    if (m >>> shift == bin) {
                        candidates[n++] = m;
                    }
                }
            } else {
                int kept = 0;
                for (int i = 0; i < n; i++) {
                    if ((candidates[i] >>> shift & mask) == bin) {
                        candidates[kept++] = candidates[i];
                    }
                }
                n = kept;
            }
        }
        return new Threshold(prefix, rank);
    }

    private static int magnitude(float x) {
        return Float.floatToRawIntBits(x) & 0x7fffffff;
    }
}
