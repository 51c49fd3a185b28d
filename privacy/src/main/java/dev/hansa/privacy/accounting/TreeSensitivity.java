package dev.hansa.privacy.accounting;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worst-case squared L2 sensitivity of one aggregation tree over {@code leaves} steps, in units of the clip
 * squared, when a client contributes to at most {@code k} leaves with at least {@code b} leaves between two of its
 * contributions: {@code zeta* = max over such patterns of sum over nodes of (contributions under the node)^2}
 * (Kairouz et al. 2021, App. D.2, Thm D.3). The recursion is TF-Privacy's
 * {@code _tree_sensitivity_square_sum}: {@code f(k, s, e, size)} is the best sum for exactly k contributions in
 * {@code size} leaves whose first lies at offset >= s and whose last leaves at least {@code b - e} leaves free at the
 * end; a power-of-two size is one node (adds k^2) split in halves, any other size is the largest power of two plus
 * the rest; the answer is the best of {@code f(k', 0, b, leaves)} over k' = 1..k. With k = 1 it is the tree's depth
 * {@code floor(log2 leaves) + 1}.
 */
public final class TreeSensitivity {

    private static final long INFEASIBLE = Long.MIN_VALUE;
    /**
     * Answers already computed, by (leaves, k, b): with large k and b one costs seconds, and a server asks for the same
     * tree every time it considers opening a round. Bounded, least recently used first out.
     */
    private static final Map<List<Long>, Long> ANSWERS = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Long>, Long> eldest) {
                    return size() > 4096;
                }
            });
    private static final long UNSET = Long.MIN_VALUE + 1;

    private final int b;
    /** Per size: [k][s][e], k up to what fits in the size. */
    private final Map<Long, long[][][]> memo = new HashMap<>();

    private TreeSensitivity(int minSeparation) {
        this.b = minSeparation;
    }

    /**
     * {@code zeta*} for {@code leaves} >= 0 steps, at most {@code maxParticipations} >= 1 contributions per client,
     * at least {@code minSeparation} >= 0 steps between two; 0 for no leaves.
     */
    public static long squared(long leaves, int maxParticipations, int minSeparation) {
        Require.nonNegative("leaves", leaves);
        if (maxParticipations < 1) {
            throw new IllegalArgumentException("maxParticipations must be >= 1, got " + maxParticipations);
        }
        if (minSeparation < 0) {
            throw new IllegalArgumentException("minSeparation must be >= 0, got " + minSeparation);
        }
        if (leaves == 0) {
            return 0;
        }
        if (maxParticipations == 1) {
            return 64 - Long.numberOfLeadingZeros(leaves);
        }
        List<Long> key = List.of(leaves, (long) maxParticipations, (long) minSeparation);
        Long known = ANSWERS.get(key);
        if (known != null) {
            return known;
        }
        TreeSensitivity f = new TreeSensitivity(minSeparation);
        int k = maxParticipations;
        while (!feasible(k, minSeparation, 0, minSeparation, leaves)) {
            k--;
        }
        long best = 0;
        for (int kk = 1; kk <= k; kk++) {
            best = Math.max(best, f.sum(kk, 0, minSeparation, leaves));
        }
        ANSWERS.put(key, best);
        return best;
    }

    /** Whether k contributions fit: {@code s + (b + 1) k <= size + e}. */
    private static boolean feasible(long k, int b, int s, int e, long size) {
        return s + (b + 1) * k <= size + e;
    }

    private long sum(int k, int s, int e, long size) {
        if (!feasible(k, b, s, e, size)) {
            return INFEASIBLE;
        }
        if (k == 0) {
            return 0;
        }
        if (k == 1 && size == 1) {
            return 1;
        }
        long[][][] table = memo.computeIfAbsent(size, this::table);
        long cached = table[k][s][e];
        if (cached != UNSET) {
            return cached;
        }
        int power = 63 - Long.numberOfLeadingZeros(size);
        long value = 0;
        if (Long.bitCount(size) == 1) {
            value = (long) k * k;
            power--;
        }
        long left = 1L << power;
        long right = size - left;
        long best = INFEASIBLE;
        for (int i = 0; i <= k; i++) {
            // Only the j for which both parts can be feasible: s + (b+1)(k-i) <= left + j, j + (b+1)i <= right + e.
            long from = Math.max(0, s + (b + 1L) * (k - i) - left);
            long to = Math.min(b, right + e - (b + 1L) * i);
            for (int j = (int) from; j <= to; j++) {
                long l = sum(k - i, s, j, left);
                if (l == INFEASIBLE) {
                    continue;
                }
                long r = sum(i, j, e, right);
                if (r != INFEASIBLE) {
                    best = Math.max(best, l + r);
                }
            }
        }
        value = best == INFEASIBLE ? INFEASIBLE : value + best;
        table[k][s][e] = value;
        return value;
    }

    /** An unset table for one size: only the k that can fit in it at all. */
    private long[][][] table(long size) {
        int kMax = (int) Math.min(Integer.MAX_VALUE - 1, (size + b) / (b + 1));
        long[][][] t = new long[kMax + 1][b + 1][b + 1];
        for (long[][] a : t) {
            for (long[] row : a) {
                java.util.Arrays.fill(row, UNSET);
            }
        }
        return t;
    }
}
