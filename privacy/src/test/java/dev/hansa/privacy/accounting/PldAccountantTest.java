package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PldAccountantTest {

    private static final double DELTA = 1e-5;
    /** Relative floating-point slack of the upper-bound checks (see the first test). */
    private static final double ROUNDING = 1e-6;

    /**
     * At q = 1, T rounds of noise sigma are one Gaussian mechanism with noise sigma/sqrt(T), whose exact delta(epsilon)
     * is Balle and Wang's (2018) closed form; the accountant's pessimistic epsilon lies above the exact one, and close.
     * "Above" holds up to floating-point rounding: the single round's grid deltas are differences of normal CDFs,
     * and their rounding (1e-16 over an interval of 1e-4, summed over 10^4 grid points) moves epsilon by up to 1e-7
     * relative.
     */
    @Test
    void atFullSamplingBoundsTheAnalyticGaussianFromAbove() {
        double[][] cases = {{1.0, 1, 1e-5}, {0.7, 1, 1e-3}, {5.0, 100, 1e-5}, {3.0, 40, 1e-6}, {20.0, 50, 1e-5}};
        for (double[] c : cases) {
            double exact = analyticGaussianEpsilon(c[0] / Math.sqrt(c[1]), c[2]);
            double pld = PldAccountant.empty().compose(1.0, c[0], (long) c[1]).epsilon(c[2]);
            String what = "sigma " + c[0] + ", steps " + (long) c[1];
            assertTrue(pld >= exact * (1 - ROUNDING), what + ": PLD " + pld + " below the exact " + exact);
            assertClose(exact, pld, 1e-4, 0, what);
        }
    }

    @Test
    void deltaAtFullSamplingIsAnUpperBoundOfTheExactOne() {
        PldAccountant accountant = PldAccountant.empty().compose(1.0, 2.0, 10);
        for (double epsilon : new double[] {0.0, 0.5, 1.0, 2.0, 4.0}) {
            double exact = analyticGaussianDelta(2.0 / Math.sqrt(10), epsilon);
            double pld = accountant.delta(epsilon);
            assertTrue(pld >= exact * (1 - ROUNDING), "epsilon " + epsilon + ": PLD " + pld + " < exact " + exact);
            assertClose(exact, pld, 1e-3, 1e-12, "epsilon " + epsilon);
        }
    }

    @Test
    void epsilonGrowsWithStepsAndShrinksWithNoise() {
        double previous = 0;
        for (long steps : new long[] {1, 10, 100, 1000, 5000}) {
            double epsilon = coarse().compose(0.01, 1.0, steps).epsilon(DELTA);
            assertTrue(epsilon > previous, steps + " steps: " + epsilon + " <= " + previous);
            previous = epsilon;
        }
        previous = Double.POSITIVE_INFINITY;
        for (double sigma : new double[] {0.6, 0.8, 1.0, 2.0, 8.0}) {
            double epsilon = coarse().compose(0.05, sigma, 200).epsilon(DELTA);
            assertTrue(epsilon < previous, "sigma " + sigma + ": " + epsilon + " >= " + previous);
            previous = epsilon;
        }
    }

    @Test
    void roundsComposedOneByOneEqualOnePhase() {
        PldAccountant oneByOne = coarse();
        for (int round = 0; round < 50; round++) {
            oneByOne = oneByOne.compose(0.02, 1.2, 1);
        }
        assertEquals(50, oneByOne.events().size());
        double phase = coarse().compose(0.02, 1.2, 50).epsilon(DELTA);
        assertEquals(phase, oneByOne.epsilon(DELTA));
    }

    @Test
    void phaseOrderDoesNotMatter() {
        double forward = coarse().compose(0.01, 0.9, 300).compose(0.1, 2.0, 40).epsilon(DELTA);
        double backward = coarse().compose(0.1, 2.0, 40).compose(0.01, 0.9, 300).epsilon(DELTA);
        assertClose(forward, backward, 1e-9, 0, "two phases in either order");
    }

    @Test
    void alternatingRoundsEqualTheirTwoPhases() {
        // DIFF2's pattern: one round at z1, two at z2, repeated; composition commutes, so it is 4 x z1 and 8 x z2.
        PldAccountant alternating = coarse();
        for (int round = 0; round < 12; round++) {
            alternating = alternating.compose(0.05, round % 3 == 0 ? 1.0 : 2.0, 1);
        }
        double phases = coarse().compose(0.05, 1.0, 4).compose(0.05, 2.0, 8).epsilon(DELTA);
        assertClose(phases, alternating.epsilon(DELTA), 1e-9, 0, "alternating rounds");
        assertEquals(12, alternating.events().size(), "the events stay as composed");
    }

    @Test
    void aHeterogeneousRunLiesBetweenItsPhasesRunAlone() {
        double first = coarse().compose(0.01, 1.0, 500).epsilon(DELTA);
        double both = coarse().compose(0.01, 1.0, 500).compose(0.03, 1.5, 200).epsilon(DELTA);
        double second = coarse().compose(0.03, 1.5, 200).epsilon(DELTA);
        assertTrue(both > Math.max(first, second), both + " vs " + first + " and " + second);
    }

    @Test
    void epsilonAndDeltaAreInverse() {
        PldAccountant accountant = coarse().compose(0.02, 1.1, 800);
        double epsilon = accountant.epsilon(DELTA);
        assertClose(DELTA, accountant.delta(epsilon), 1e-9, 0, "delta at the epsilon of delta");
    }

    @Test
    void edgeCases() {
        assertEquals(0, PldAccountant.empty().epsilon(DELTA));
        assertEquals(0, PldAccountant.empty().delta(0.5));
        assertEquals(0, coarse().compose(0, 1.0, 100).compose(0.3, 1.0, 0).epsilon(DELTA));
        assertEquals(Double.POSITIVE_INFINITY, coarse().compose(0.01, 0, 1).epsilon(DELTA));
        assertEquals(1, coarse().compose(0.01, 0, 1).delta(3.0));
    }

    @Test
    void badInputNamesTheParameter() {
        assertMessage("interval", () -> PldAccountant.empty(0));
        assertMessage("interval", () -> PldAccountant.empty(Double.NaN));
        assertMessage("delta", () -> PldAccountant.empty().epsilon(1));
        assertMessage("epsilon", () -> PldAccountant.empty().delta(-0.1));
        assertMessage("event", () -> coarse().compose(null));
        assertMessage("sigma", () -> coarse().compose(0.1, -1, 1));
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        assertTrue(error.getMessage().startsWith(name), error.getMessage());
    }

    /** The properties below hold on any grid; a coarse one keeps the tests fast. */
    private static PldAccountant coarse() {
        return PldAccountant.empty(1e-3);
    }

    /** Phi(1/(2s) - s eps) - e^eps Phi(-1/(2s) - s eps), Balle and Wang 2018, Theorem 8. */
    private static double analyticGaussianDelta(double s, double epsilon) {
        return Math.exp(LogNdtr.logNdtr(0.5 / s - s * epsilon))
                - Math.exp(epsilon + LogNdtr.logNdtr(-0.5 / s - s * epsilon));
    }

    /** The exact epsilon by bisection: delta(epsilon) decreases strictly. */
    private static double analyticGaussianEpsilon(double s, double delta) {
        double low = 0;
        double high = 200;
        for (int i = 0; i < 200; i++) {
            double mid = (low + high) / 2;
            if (analyticGaussianDelta(s, mid) > delta) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }
}
