package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PLD accountant against Google's dp_accounting on a grid of (q, sigma, steps, delta) built for these tests. */
class PldAccountantGridTest {

    /**
     * {q, sigma, steps, delta, epsilon} from dp_accounting's {@code PLDAccountant} with its defaults (add-or-remove,
     * connect-the-dots, interval 1e-4; commit b5b0286e, Debian's python3 with numpy 2.4.6 and scipy 1.17.1), printed by
     * {@code python3 privacy/src/test/python/pld_reference_values.py /tmp/dp/python/dp_accounting}. Covers q = 1,
     * q = 1e-4, sigma = 20 and 100, and 10^4 steps.
     */
    private static final double[][] EPSILONS = {
        {1.0, 1.0, 1.0, 1e-05, 4.37717810004804},
        {1.0, 5.0, 100.0, 1e-05, 9.997256407509484},
        {1.0, 100.0, 10000.0, 1e-06, 4.886600556897948},
        {0.0001, 1.0, 10000.0, 1e-05, 0.03996474907219799},
        {0.0001, 0.6, 1000.0, 1e-05, 0.11324724399595355},
        {0.001, 1.0, 10000.0, 1e-05, 0.4759870125935778},
        {0.004, 1.1, 10000.0, 1e-05, 1.8410369151727397},
        {0.01, 1.1, 10000.0, 1e-05, 5.192620123878041},
        {0.01, 1.0, 1000.0, 1e-06, 2.1245225256749363},
        {0.01, 20.0, 10000.0, 1e-05, 0.1608670406165695},
        {0.05, 0.9, 500.0, 1e-05, 9.30799826902676},
        {0.1, 1.0, 100.0, 1e-05, 7.04660287720805},
        {0.3, 2.0, 50.0, 0.001, 3.794997686294434},
        {0.5, 1.5, 20.0, 1e-05, 8.390672187650463},
    };

    /** {q, sigma, steps, epsilon, delta}: dp_accounting's {@code get_delta}, same script. */
    private static final double[][] DELTAS = {
        {0.01, 1.0, 1000.0, 1.0, 0.002612496806301316},
        {0.1, 2.0, 100.0, 0.5, 0.06295366574286804},
        {1.0, 3.0, 10.0, 2.0, 0.028644670030636515},
    };

    /** {q1, sigma1, steps1, q2, sigma2, steps2, delta, epsilon}: two phases composed, same script. */
    private static final double[][] HETEROGENEOUS = {
        {0.01, 1.0, 500.0, 0.02, 1.5, 300.0, 1e-05, 1.6826012012643614},
        {1.0, 4.0, 5.0, 0.001, 0.8, 2000.0, 1e-06, 2.5847199431370833},
    };

    /**
     * The bar is 0.5%; the same algorithm on the same grid agrees far better (the largest gap, 3.5e-5, is at
     * q = 1, sigma = 100, where the grid holds few points per round).
     */
    private static final double RELATIVE = 1e-4;

    /** The accountant's epsilon for each row of {@link #EPSILONS}, computed once for the two tests that use it. */
    private static double[] pldEpsilons;

    @BeforeAll
    static void computeEpsilons() {
        pldEpsilons = new double[EPSILONS.length];
        for (int i = 0; i < EPSILONS.length; i++) {
            double[] row = EPSILONS[i];
            pldEpsilons[i] = PldAccountant.empty().compose(row[0], row[1], (long) row[2]).epsilon(row[3]);
        }
    }

    @Test
    void epsilonMatchesDpAccounting() {
        for (int i = 0; i < EPSILONS.length; i++) {
            assertClose(EPSILONS[i][4], pldEpsilons[i], RELATIVE, 0, describe(EPSILONS[i]));
        }
    }

    @Test
    void deltaMatchesDpAccounting() {
        for (double[] row : DELTAS) {
            double delta = PldAccountant.empty().compose(row[0], row[1], (long) row[2]).delta(row[3]);
            assertClose(row[4], delta, RELATIVE, 0, describe(row));
        }
    }

    @Test
    void heterogeneousPhasesMatchDpAccounting() {
        for (double[] row : HETEROGENEOUS) {
            double epsilon = PldAccountant.empty().compose(row[0], row[1], (long) row[2])
                    .compose(row[3], row[4], (long) row[5]).epsilon(row[6]);
            assertClose(row[7], epsilon, RELATIVE, 0, "phases " + describe(row) + " then q " + row[3]);
        }
    }

    @Test
    void pldIsTighterThanRdpOnTheGrid() {
        for (int i = 0; i < EPSILONS.length; i++) {
            double[] row = EPSILONS[i];
            double pld = pldEpsilons[i];
            double rdp = RdpAccountant.empty().compose(row[0], row[1], (long) row[2]).epsilon(row[3]);
            assertTrue(pld < rdp, describe(row) + ": PLD " + pld + " vs RDP " + rdp);
        }
    }

    private static String describe(double[] row) {
        return "q " + row[0] + ", sigma " + row[1] + ", steps " + (long) row[2] + ", " + row[3];
    }
}
