package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RdpAccountantTest {

    @Nested
    class PublishedVectors {

        /**
         * ALGORITHMS.md 6.4: Opacus' default orders; epsilons to four decimals (within one unit of the last: the
         * table rounds most entries but truncates the last row's classic 2.86676 to 2.8667; the grid test holds
         * Opacus' full value to 1e-9), optimal orders to one.
         */
        @ParameterizedTest
        @CsvSource({
            "0.01, 1.1, 10000, 1e-5, 5.6320, 4.7, 6.2787, 4.9",
            "0.004266666666666667, 1.1, 14062, 1e-5, 2.5966, 8.1, 3.0083, 8.8",
            "0.1, 1.0, 100, 1e-5, 7.8993, 3.2, 8.7938, 3.3",
            "0.01, 1.0, 1000, 1e-6, 2.4367, 8.0, 2.8667, 8.1"})
        void epsilonsAndOrders(double q, double sigma, long steps, double delta, double improved, double improvedOrder,
                double classic, double classicOrder) {
            RdpAccountant accountant = RdpAccountant.empty().compose(q, sigma, steps);
            PrivacySpent tight = accountant.spent(delta);
            assertClose(improved, tight.epsilon(), 0, 1e-4, "improved");
            assertEquals(improvedOrder, tight.order(), 1e-12, "improved order");
            PrivacySpent loose = RdpConversion.CLASSIC.convert(RdpOrders.OPACUS, accountant.rdp(), delta);
            assertClose(classic, loose.epsilon(), 0, 1e-4, "classic");
            assertEquals(classicOrder, loose.order(), 1e-12, "classic order");
        }

        @Test
        void theSecondRowIsMnistsBatchOf256() {
            assertEquals(256.0 / 60000, 0.004266666666666667);
        }
    }

    @Nested
    class Composition {

        @Test
        void phasesAddAtEveryOrder() {
            SampledGaussianEvent first = new SampledGaussianEvent(0.01, 1.1, 300);
            SampledGaussianEvent second = new SampledGaussianEvent(0.05, 2.5, 40);
            RdpAccountant both = RdpAccountant.empty().compose(first).compose(second);
            double[] a = first.rdp(RdpOrders.OPACUS);
            double[] b = second.rdp(RdpOrders.OPACUS);
            double[] composed = both.rdp();
            for (int k = 0; k < composed.length; k++) {
                assertEquals(a[k] + b[k], composed[k], "order " + RdpOrders.OPACUS.get(k));
            }
            assertEquals(List.of(first, second), both.events());
        }

        @Test
        void orderOfPhasesDoesNotMatter() {
            RdpAccountant ab = RdpAccountant.empty().compose(0.01, 1.1, 300).compose(0.2, 0.9, 7);
            RdpAccountant ba = RdpAccountant.empty().compose(0.2, 0.9, 7).compose(0.01, 1.1, 300);
            assertArrayEquals(ab.rdp(), ba.rdp(), 1e-15);
            assertEquals(ab.epsilon(1e-5), ba.epsilon(1e-5), 1e-12);
        }

        @Test
        void splittingAPhaseChangesNothing() {
            RdpAccountant whole = RdpAccountant.empty().compose(0.01, 1.1, 1000);
            RdpAccountant split = RdpAccountant.empty().compose(0.01, 1.1, 400).compose(0.01, 1.1, 600);
            double[] wholeRdp = whole.rdp();
            double[] splitRdp = split.rdp();
            for (int k = 0; k < wholeRdp.length; k++) {
                assertClose(wholeRdp[k], splitRdp[k], 1e-14, 0, "order " + RdpOrders.OPACUS.get(k));
            }
            assertClose(whole.epsilon(1e-5), split.epsilon(1e-5), 1e-12, 0, "epsilon");
        }

        @Test
        void heterogeneousPhasesSpendBetweenTheirUniformBounds() {
            double mixed = RdpAccountant.empty().compose(0.01, 1.0, 500).compose(0.01, 2.0, 500).epsilon(1e-5);
            assertTrue(RdpAccountant.empty().compose(0.01, 2.0, 1000).epsilon(1e-5) < mixed);
            assertTrue(mixed < RdpAccountant.empty().compose(0.01, 1.0, 1000).epsilon(1e-5));
        }

        @Test
        void composingLeavesTheOriginalUntouched() {
            RdpAccountant empty = RdpAccountant.empty();
            RdpAccountant spent = empty.compose(0.01, 1.1, 100);
            assertEquals(0.0, empty.epsilon(1e-5));
            assertEquals(List.of(), empty.events());
            assertTrue(spent.epsilon(1e-5) > 0);
        }

        @Test
        void nothingSpentIsEpsilonZero() {
            PrivacySpent none = RdpAccountant.empty().spent(1e-5);
            assertEquals(0.0, none.epsilon());
            assertEquals(1.1, none.order(), "ties go to the first order");
            assertEquals(0.0, RdpAccountant.empty().compose(0.5, 1, 0).epsilon(1e-5));
            assertEquals(0.0, RdpAccountant.empty().compose(0, 0, 1000).epsilon(1e-5));
        }

        @Test
        void noNoiseIsInfiniteEpsilon() {
            PrivacySpent none = RdpAccountant.empty().compose(0.01, 0, 1).spent(1e-5);
            assertEquals(Double.POSITIVE_INFINITY, none.epsilon());
            assertTrue(Double.isNaN(none.order()));
        }
    }

    @Nested
    class Monotonicity {

        private static double epsilon(double q, double sigma, long steps) {
            return RdpAccountant.empty().compose(q, sigma, steps).epsilon(1e-5);
        }

        /** Strictly increasing once positive: below delta^2 of divergence the KL rule holds epsilon at 0. */
        private static void assertGrows(double previous, double current, String what) {
            assertTrue(current > previous || current == 0 && previous == 0, what + ": " + previous + " -> " + current);
        }

        @Test
        void moreStepsSpendMore() {
            double previous = 0;
            for (long steps : new long[] {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000}) {
                double epsilon = epsilon(0.001, 1.0, steps);
                assertGrows(previous, epsilon, "steps " + steps);
                previous = epsilon;
            }
        }

        @Test
        void aLargerSamplingRateSpendsMore() {
            double previous = 0;
            for (double q : new double[] {1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.5, 0.9, 1}) {
                double epsilon = epsilon(q, 1.0, 100);
                assertGrows(previous, epsilon, "q " + q);
                previous = epsilon;
            }
        }

        @Test
        void lessNoiseSpendsMore() {
            double previous = 0;
            for (double sigma : new double[] {100, 20, 5, 2, 1.2, 1, 0.8, 0.6}) {
                double epsilon = epsilon(0.01, sigma, 1000);
                assertGrows(previous, epsilon, "sigma " + sigma);
                previous = epsilon;
            }
        }

        @Test
        void aSmallerDeltaCostsMoreEpsilon() {
            RdpAccountant accountant = RdpAccountant.empty().compose(0.01, 1.1, 1000);
            assertTrue(accountant.epsilon(1e-8) > accountant.epsilon(1e-5));
            assertTrue(accountant.epsilon(1e-5) > accountant.epsilon(1e-2));
        }
    }

    @Test
    void refusesBadDelta() {
        RdpAccountant accountant = RdpAccountant.empty().compose(0.01, 1.1, 10);
        for (double delta : new double[] {0, 1, -1e-5, 1.5, Double.NaN}) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> accountant.epsilon(delta));
            assertTrue(thrown.getMessage().startsWith("delta must be in (0, 1)"), thrown.getMessage());
        }
    }

    @Test
    void refusesMissingConfigurationAndEvents() {
        assertThrows(IllegalArgumentException.class, () -> RdpAccountant.empty(null, RdpConversion.IMPROVED));
        assertThrows(IllegalArgumentException.class, () -> RdpAccountant.empty(RdpOrders.OPACUS, null));
        assertThrows(IllegalArgumentException.class, () -> RdpAccountant.empty().compose(null));
    }
}
