package dev.hansa.aggregation.aggregate.robust;

/**
 * The k-subsets of n rows that the exhaustive rules (minimum-diameter averaging, SMEA) scan, in lexicographic order
 * (that of Python's {@code itertools.combinations}, so ties resolve as in ByzFL), and the bound on how many a round
 * may make them scan.
 */
final class Subsets {

    private Subsets() {
    }

    /** {@code C(n, k)}, or {@link Long#MAX_VALUE} where computing it would overflow (beyond any bound a rule uses). */
    static long count(int n, int k) {
        k = Math.min(k, n - k);
        long c = 1;
        for (int i = 1; i <= k; i++) {
            // c * (n - k + i) / i is C(n - k + i, i), an integer.
            if (c > Long.MAX_VALUE / (n - k + i)) {
                return Long.MAX_VALUE;
            }
            c = c * (n - k + i) / i;
        }
        return c;
    }

    /**
     * @param why what the bound stands for, as the message explains it
     * @throws IllegalStateException naming the rule, n, f and the bound when the (n - f)-subsets of n rows number
     *                               more than {@code bound}: the round fails instead of running for hours
     */
    static void requireAtMost(String rule, int n, int f, long bound, String why) {
        long count = count(n, n - f);
        if (count > bound) {
            throw new IllegalStateException(rule + " with n = " + n + " and f = " + f + " would scan C(" + n + ", " + f
                    + ") = " + (count == Long.MAX_VALUE ? "more than 2^63" : count) + " subsets of n - f updates; it"
                    + " scans at most " + bound + " (" + why + "): use fewer updates per round, a smaller f or another"
                    + " rule");
        }
    }

    /** The first k-subset {@code {0, ..., k - 1}}. */
    static int[] first(int k) {
        int[] s = new int[k];
        for (int i = 0; i < k; i++) {
            s[i] = i;
        }
        return s;
    }

    /** Moves {@code s} (sorted, from [0, n)) to the next k-subset; false after the last. */
    static boolean next(int[] s, int n) {
        int k = s.length;
        int i = k - 1;
        while (i >= 0 && s[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        s[i]++;
        for (int j = i + 1; j < k; j++) {
            s[j] = s[j - 1] + 1;
        }
        return true;
    }

    /** Coefficients that average the rows in {@code subset} uniformly, over {@code n} rows. */
    static double[] uniformOver(int[] subset, int n) {
        double[] a = new double[n];
        for (int i : subset) {
            a[i] = 1.0 / subset.length;
        }
        return a;
    }
}
