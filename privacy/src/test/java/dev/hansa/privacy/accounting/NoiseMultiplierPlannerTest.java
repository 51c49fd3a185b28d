package dev.hansa.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseMultiplierPlannerTest {

    private final NoiseMultiplierPlanner planner = new NoiseMultiplierPlanner();

    @ParameterizedTest
    @CsvSource({
        "0.01, 10000, 5.0, 1e-5", "0.004, 14062, 2.0, 1e-5", "1, 100, 8, 1e-5", "1e-6, 1000000, 0.5, 1e-5",
        "0.1, 100, 20, 1e-5", "0.001, 1000000, 1, 1e-6", "0.01, 50, 0.5, 1e-5"})
    void theSigmaMeetsTheTargetAndASlightlySmallerOneDoesNot(double q, long steps, double target, double delta) {
        double sigma = planner.noiseMultiplier(q, steps, target, delta);
        assertTrue(planner.epsilon(q, sigma, steps, delta) <= target, "sigma " + sigma + " misses the target");
        double smaller = sigma * (1 - 2 * NoiseMultiplierPlanner.DEFAULT_TOLERANCE);
        assertTrue(planner.epsilon(q, smaller, steps, delta) > target, "sigma " + smaller + " also meets it");
        // The accountant agrees with the planner's own measure.
        assertEquals(planner.epsilon(q, sigma, steps, delta),
                RdpAccountant.empty().compose(q, sigma, steps).epsilon(delta));
    }

    @Test
    void invertsAPublishedVector() {
        // ALGORITHMS.md 6.4: q = 0.01, sigma = 1.1, 10,000 steps give epsilon 5.6320 at delta 1e-5.
        double sigma = planner.noiseMultiplier(0.01, 10_000, 5.632, 1e-5);
        assertEquals(1.1, sigma, 1e-4);
    }

    @Test
    void aLooserToleranceStillErrsOnTheSafeSide() {
        NoiseMultiplierPlanner coarse = new NoiseMultiplierPlanner(RdpOrders.OPACUS, RdpConversion.IMPROVED, 0.05);
        double sigma = coarse.noiseMultiplier(0.01, 1000, 2, 1e-5);
        double precise = planner.noiseMultiplier(0.01, 1000, 2, 1e-5);
        assertTrue(sigma >= precise && sigma <= precise / 0.95, coarse + " " + sigma + " vs " + precise);
    }

    @Test
    void moreOrdersNeedLessNoise() {
        NoiseMultiplierPlanner wide = new NoiseMultiplierPlanner(RdpOrders.DP_ACCOUNTING, RdpConversion.IMPROVED,
                NoiseMultiplierPlanner.DEFAULT_TOLERANCE);
        // At large sigma the optimum moves past 63, where only dp_accounting's list has orders.
        assertTrue(wide.noiseMultiplier(0.1, 1000, 0.15, 1e-5) < planner.noiseMultiplier(0.1, 1000, 0.15, 1e-5));
    }

    @Test
    void nothingReleasedNeedsNoNoise() {
        assertEquals(0.0, planner.noiseMultiplier(0, 1000, 1, 1e-5));
        assertEquals(0.0, planner.noiseMultiplier(0.5, 0, 1, 1e-5));
    }

    @Test
    void refusesATargetTheOrdersCannotReach() {
        // With orders up to 63, epsilon at delta 1e-5 does not fall below about 0.103 before the divergence drops
        // under delta^2 (where the KL rule gives 0); for 10^6 full-batch steps that needs sigma far beyond 2^20.
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> planner.noiseMultiplier(1, 1_000_000, 0.05, 1e-5));
        assertTrue(thrown.getMessage().startsWith("targetEpsilon 0.05 cannot be met"), thrown.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "-0.1, 10, 1, 1e-5, q", "2, 10, 1, 1e-5, q", "NaN, 10, 1, 1e-5, q",
        "0.1, -1, 1, 1e-5, steps",
        "0.1, 10, 0, 1e-5, targetEpsilon", "0.1, 10, -1, 1e-5, targetEpsilon", "0.1, 10, NaN, 1e-5, targetEpsilon",
        "0.1, 10, Infinity, 1e-5, targetEpsilon",
        "0.1, 10, 1, 0, delta", "0.1, 10, 1, 1, delta", "0.1, 10, 1, NaN, delta"})
    void refusesBadInputNamingTheParameter(double q, long steps, double target, double delta, String parameter) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> planner.noiseMultiplier(q, steps, target, delta));
        assertTrue(thrown.getMessage().startsWith(parameter + " must be"), thrown.getMessage());
    }

    @Test
    void refusesABadTolerance() {
        for (double tolerance : new double[] {0, 1, -0.1, Double.NaN}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new NoiseMultiplierPlanner(RdpOrders.OPACUS, RdpConversion.IMPROVED, tolerance));
        }
    }
}
