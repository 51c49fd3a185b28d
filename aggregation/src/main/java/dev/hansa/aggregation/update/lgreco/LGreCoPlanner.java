package dev.hansa.aggregation.update.lgreco;

import java.util.Arrays;
import java.util.Optional;

/**
 * L-GreCo's dynamic program (Alimohammadi, Markov, Frantar, Alistarh, MLSys 2024; the rule of its official code as
 * COMPRESSION_MORE.md §1.3 read it): given for each layer l and option v a payload size {@code s[l][v]} and a
 * compression error {@code e[l][v]}, the options of smallest total size whose errors sum to at most the budget
 * {@code E_max} (the uniform setting's summed error).
 *
 * <p>Errors are discretised to {@value #BUCKETS} buckets of {@code u = E_max / B}: {@code ê = clamp(ceil(min(e,
 * E_max + 1) / u), 1, B)}, so an option whose error alone exceeds the budget is never affordable. {@code D[l][b]}
 * is the smallest size of layers 1..l whose discretised errors sum to less than b: {@code D[1][b] = min over v with
 * ê_1(v) < b of s_1(v)}, {@code D[l][b] = min over v of D[l-1][b - ê_l(v)] + s_l(v)}; the answer is the first b of
 * least {@code D[L][b]}, traced back. Ties between options go to the first (lowest index). O(L |V| B) time, O(L B)
 * memory. Because ê rounds up, a plan's summed error is below the budget, never above.
 */
public final class LGreCoPlanner {

    /** B, the discretisation of the budget ({@code DPBUCKETS} in the official code). */
    public static final int BUCKETS = 10_000;
    private static final long UNREACHABLE = Long.MAX_VALUE;

    private LGreCoPlanner() {
    }

    /**
     * The chosen option of each layer, or empty when no plan fits (the caller then keeps its previous plan) or the
     * budget is 0 (nothing to measure against).
     *
     * @param sizes  {@code sizes[l][v]}: non-negative sizes, at least one option per layer
     * @param errors {@code errors[l][v]}: finite, non-negative errors, shaped like sizes
     * @param budget {@code E_max}, finite and >= 0
     * @throws IllegalArgumentException for shapes that differ, a negative size, or a non-finite or negative error
     */
    public static Optional<int[]> plan(long[][] sizes, double[][] errors, double budget) {
        check(sizes, errors, budget);
        if (budget == 0 || sizes.length == 0) {
            return Optional.empty();
        }
        int layers = sizes.length;
        int[][] cost = discretise(errors, budget);
        int[][] choice = new int[layers][BUCKETS + 1];
        long[] table = new long[BUCKETS + 1];
        Arrays.fill(table, UNREACHABLE);
        for (int b = 0; b <= BUCKETS; b++) {
            for (int v = 0; v < sizes[0].length; v++) {
                if (cost[0][v] < b && sizes[0][v] < table[b]) {
                    table[b] = sizes[0][v];
                    choice[0][b] = v;
                }
            }
        }
        for (int l = 1; l < layers; l++) {
            long[] next = new long[BUCKETS + 1];
            Arrays.fill(next, UNREACHABLE);
            for (int b = 0; b <= BUCKETS; b++) {
                for (int v = 0; v < sizes[l].length; v++) {
                    int before = b - cost[l][v];
                    if (before >= 0 && table[before] != UNREACHABLE && table[before] + sizes[l][v] < next[b]) {
                        next[b] = table[before] + sizes[l][v];
                        choice[l][b] = v;
                    }
                }
            }
            table = next;
        }
        int best = 0;
        for (int b = 1; b <= BUCKETS; b++) {
            if (table[b] < table[best]) {
                best = b;
            }
        }
        if (table[best] == UNREACHABLE) {
            return Optional.empty();
        }
        int[] plan = new int[layers];
        for (int l = layers - 1, b = best; l >= 0; l--) {
            plan[l] = choice[l][b];
            b -= cost[l][plan[l]];
        }
        return Optional.of(plan);
    }

    /** ê for every option. */
    static int[][] discretise(double[][] errors, double budget) {
        double unit = budget / BUCKETS;
        int[][] cost = new int[errors.length][];
        for (int l = 0; l < errors.length; l++) {
            cost[l] = new int[errors[l].length];
            for (int v = 0; v < errors[l].length; v++) {
                double buckets = Math.ceil(Math.min(errors[l][v], budget + 1) / unit);
                cost[l][v] = (int) Math.clamp(buckets, 1, BUCKETS);
            }
        }
        return cost;
    }

    private static void check(long[][] sizes, double[][] errors, double budget) {
        if (!(budget >= 0) || Double.isInfinite(budget)) {
            throw new IllegalArgumentException("the error budget must be finite and >= 0, got " + budget);
        }
        if (sizes.length != errors.length) {
            throw new IllegalArgumentException(sizes.length + " layers of sizes, " + errors.length + " of errors");
        }
        for (int l = 0; l < sizes.length; l++) {
            if (sizes[l].length == 0 || sizes[l].length != errors[l].length) {
                throw new IllegalArgumentException("layer " + l + " has " + sizes[l].length + " sizes and "
                        + errors[l].length + " errors; it needs as many of each, at least one");
            }
            for (int v = 0; v < sizes[l].length; v++) {
                if (sizes[l][v] < 0) {
                    throw new IllegalArgumentException("layer " + l + " option " + v + " has size " + sizes[l][v]);
                }
                if (!(errors[l][v] >= 0) || Double.isInfinite(errors[l][v])) {
                    throw new IllegalArgumentException("layer " + l + " option " + v + " has error " + errors[l][v]
                            + "; errors must be finite and >= 0");
                }
            }
        }
    }
}
