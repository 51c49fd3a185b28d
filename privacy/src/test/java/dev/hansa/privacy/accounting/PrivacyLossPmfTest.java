package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrivacyLossPmfTest {

    private static final double INTERVAL = 1e-3;
    private static final double TAIL = PldAccountant.TAIL_MASS;

    /** Connect-the-dots reproduces the exact divergence at its grid points, for both directions of adjacency. */
    @Test
    void oneRoundMatchesTheExactDivergenceOnTheGrid() {
        for (SampledGaussianHockeyStick direction : SampledGaussianHockeyStick.values()) {
            PrivacyLossPmf pmf = direction.discretise(0.05, 0.9, INTERVAL);
            for (int k = 0; k <= 3000; k += 150) {
                double epsilon = k * INTERVAL;
                assertClose(direction.delta(0.05, 0.9, epsilon), pmf.delta(epsilon), 1e-9, 1e-15,
                        direction + " at " + epsilon);
            }
        }
    }

    /** Between grid points the discretised delta lies above the exact one: the discretisation is pessimistic. */
    @Test
    void oneRoundIsAnUpperBoundBetweenGridPoints() {
        for (SampledGaussianHockeyStick direction : SampledGaussianHockeyStick.values()) {
            PrivacyLossPmf pmf = direction.discretise(0.2, 1.3, INTERVAL);
            for (double epsilon = 0.00037; epsilon < 2; epsilon += 0.0731) {
                double exact = direction.delta(0.2, 1.3, epsilon);
                assertTrue(pmf.delta(epsilon) >= exact - 1e-15, direction + " at " + epsilon);
            }
        }
    }

    /** Composing k rounds then m rounds gives the distribution of k + m rounds, up to rounding and tail cuts. */
    @Test
    void selfCompositionComposes() {
        PrivacyLossPmf round = SampledGaussianHockeyStick.REMOVE.discretise(0.01, 1.0, INTERVAL);
        PrivacyLossPmf split = round.selfCompose(300, TAIL).compose(round.selfCompose(700, TAIL), TAIL);
        PrivacyLossPmf whole = round.selfCompose(1000, TAIL);
        for (double delta : new double[] {1e-3, 1e-5, 1e-7}) {
            assertClose(whole.epsilon(delta), split.epsilon(delta), 1e-5, 0, "delta " + delta);
        }
    }

    /** Explicit convolution of small distributions against the FFT: losses add, probabilities multiply. */
    @Test
    void composeConvolves() {
        PrivacyLossPmf a = new PrivacyLossPmf(0.5, -1, new double[] {0.25, 0.5, 0.25}, 0);
        PrivacyLossPmf b = new PrivacyLossPmf(0.5, 2, new double[] {0.5, 0.4}, 0.1);
        PrivacyLossPmf sum = a.compose(b, 0);
        assertEquals(4, sum.size());
        assertEquals(0.1, sum.infinityMass(), 1e-15);
        // Losses 0.5 .. 2.0; at epsilon 1.2 only 1.5 (0.5*0.4 + 0.25*0.5 = 0.325) and 2.0 (0.25*0.4 = 0.1) count.
        double expected = 0.1 + 0.325 * -Math.expm1(1.2 - 1.5) + 0.1 * -Math.expm1(1.2 - 2.0);
        assertClose(expected, sum.delta(1.2), 1e-12, 0, "delta of the convolution");
        PrivacyLossPmf twice = a.selfCompose(2, 0);
        // {0.25, 0.5, 0.25} * itself = {1, 4, 6, 4, 1}/16 on losses -1.0 .. 1.0.
        double expectedTwice = 4.0 / 16 * -Math.expm1(0.2 - 0.5) + 1.0 / 16 * -Math.expm1(0.2 - 1.0);
        assertClose(expectedTwice, twice.delta(0.2), 1e-12, 0, "delta of the self-convolution");
    }

    @Test
    void epsilonIsTheSmallestWithDeltaAtMostTheTarget() {
        PrivacyLossPmf pmf = SampledGaussianHockeyStick.ADD.discretise(0.1, 1.0, INTERVAL).selfCompose(100, TAIL);
        double epsilon = pmf.epsilon(1e-4);
        assertClose(1e-4, pmf.delta(epsilon), 1e-9, 0, "delta at epsilon");
        assertTrue(pmf.delta(epsilon - 1e-6) > 1e-4);
        PrivacyLossPmf mostlyInfinite = new PrivacyLossPmf(INTERVAL, 0, new double[] {0.9}, 0.1);
        assertEquals(Double.POSITIVE_INFINITY, mostlyInfinite.epsilon(0.05));
    }
}
