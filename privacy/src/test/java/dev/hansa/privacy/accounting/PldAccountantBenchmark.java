package dev.hansa.privacy.accounting;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Benchmark (not a test): the PLD accountant's time for 1,000 rounds composed one at a time and then one epsilon (the
 * simulate and ledger pattern), after a warm-up run; then the table of RDP against PLD epsilon at delta = 1e-5 that
 * docs/privacy.md shows.
 *
 * <pre>
 * java -cp privacy/target/classes:privacy/target/test-classes:$HOME/.m2/repository/org/apache/commons/\
 * commons-math3/3.6.1/commons-math3-3.6.1.jar dev.hansa.privacy.accounting.PldAccountantBenchmark
 * </pre>
 */
public final class PldAccountantBenchmark {

    private static final double DELTA = 1e-5;

    public static void main(String[] args) {
        double[][] timed = {{0.01, 1.0}, {0.1, 1.0}, {0.001, 0.8}};
        epsilonAfter(1000, 0.01, 1.0);
        for (double[] c : timed) {
            long t0 = System.nanoTime();
            double epsilon = epsilonAfter(1000, c[0], c[1]);
            System.out.printf(Locale.ROOT, "1000 rounds, q %s, sigma %s: epsilon %.4f in %.3f s%n", c[0], c[1],
                    epsilon, (System.nanoTime() - t0) / 1e9);
        }
        double[][] table = {{0.01, 1.1, 10_000}, {0.01, 1.0, 1000}, {0.001, 1.0, 10_000}, {0.1, 1.0, 100},
            {0.05, 0.9, 500}, {1.0, 5.0, 100}, {0.0001, 1.0, 10_000}, {0.01, 20.0, 10_000}};
        System.out.println("| q | sigma | steps | RDP epsilon | PLD epsilon | PLD / RDP |");
        System.out.println("|---|---|---|---|---|---|");
        for (double[] c : table) {
            double rdp = RdpAccountant.empty().compose(c[0], c[1], (long) c[2]).epsilon(DELTA);
            double pld = PldAccountant.empty().compose(c[0], c[1], (long) c[2]).epsilon(DELTA);
            System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.3f | %.3f | %.2f |%n", plain(c[0]), plain(c[1]),
                    (long) c[2], rdp, pld, pld / rdp);
        }
    }

    private static String plain(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static double epsilonAfter(int rounds, double q, double sigma) {
        PldAccountant accountant = PldAccountant.empty();
        for (int round = 0; round < rounds; round++) {
            accountant = accountant.compose(q, sigma, 1);
        }
        return accountant.epsilon(DELTA);
    }
}
