package dev.hansa.privacy.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.accounting.SampledGaussianRdp;
import dev.hansa.privacy.noise.GaussianNoise;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AdaptiveClippingTest {

    private static final AdaptiveClipping TFF = new AdaptiveClipping(AdaptiveClipping.DEFAULT_TARGET_QUANTILE,
            AdaptiveClipping.DEFAULT_LEARNING_RATE, AdaptiveClipping.defaultClippedCountStddev(100));

    @Test
    void theNoiseSplitMatchesThePublishedCheckValue() {
        // ALGORITHMS.md 6.2: z = 1, m = 100 => sigma_b = 5 and z_Delta = 1.00504.
        assertEquals(5, TFF.clippedCountStddev());
        assertEquals(1.00504, TFF.valueNoiseMultiplier(1), 5e-6);
    }

    @Test
    void theTwoReleasesTogetherCostExactlyTheConfiguredMultiplier() {
        // Gaussian RDP adds: alpha/(2 z_Delta^2) + alpha/(2 (2 sigma_b)^2) = alpha/(2 z^2) at every order.
        for (double z : new double[] {0.5, 1, 3, 9.9}) {
            double zDelta = TFF.valueNoiseMultiplier(z);
            for (double alpha : new double[] {1.5, 2, 10, 63}) {
                double sum = SampledGaussianRdp.rdp(1, zDelta, alpha) + SampledGaussianRdp.rdp(1, 10, alpha);
                assertEquals(SampledGaussianRdp.rdp(1, z, alpha), sum, 1e-12 * sum, "z " + z + ", alpha " + alpha);
            }
        }
    }

    @Test
    void aMultiplierTheCountAloneWouldExceedIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> TFF.valueNoiseMultiplier(10));
        assertTrue(e.getMessage().startsWith("privacy.noiseMultiplier"), e.getMessage());
        assertEquals(0, TFF.valueNoiseMultiplier(0));
    }

    @ParameterizedTest
    @CsvSource({"0.5", "0.9", "0.2"})
    void tracksTheTargetQuantileOfASyntheticDistribution(double gamma) {
        // Norms ~ LogNormal(ln 3, 0.5): the gamma-quantile is 3 exp(0.5 Phi^-1(gamma)).
        double[] probit = {0.2, -0.841621, 0.5, 0, 0.9, 1.281552};
        double zGamma = gamma == 0.2 ? probit[1] : gamma == 0.5 ? probit[3] : probit[5];
        double quantile = 3 * Math.exp(0.5 * zGamma);
        AdaptiveClipping rule = new AdaptiveClipping(gamma, 0.2, 5);
        GaussianNoise noise = GaussianNoise.seeded(31);
        Random norms = new Random(32);
        double clip = AdaptiveClipping.DEFAULT_INITIAL_CLIP;
        int m = 100;
        double tail = 0;
        for (int round = 0; round < 600; round++) {
            int unclipped = 0;
            for (int i = 0; i < m; i++) {
                unclipped += 3 * Math.exp(0.5 * norms.nextGaussian()) <= clip ? 1 : 0;
            }
            double fraction = AdaptiveClipping.noisedFraction(unclipped, m, m, noise.sample(rule.clippedCountStddev()));
            clip = rule.nextClip(clip, fraction);
            if (round >= 400) {
                tail += clip / 200;
            }
        }
        assertEquals(quantile, tail, 0.1 * quantile, "mean clip over the last 200 rounds");
    }

    @Test
    void theFractionIsClampedToTheUnitInterval() {
        assertEquals(1, AdaptiveClipping.noisedFraction(10, 10, 10, 100));
        assertEquals(0, AdaptiveClipping.noisedFraction(0, 10, 10, -100));
        assertEquals(0.7, AdaptiveClipping.noisedFraction(7, 10, 10, 0), 1e-15);
    }

    @Test
    void theGeometricUpdateMovesByExpOfTheError() {
        AdaptiveClipping rule = new AdaptiveClipping(0.5, 0.2, 1);
        assertEquals(0.1 * Math.exp(-0.1), rule.nextClip(0.1, 1.0), 1e-17);
        assertEquals(0.1 * Math.exp(0.1), rule.nextClip(0.1, 0.0), 1e-17);
        assertEquals(0.1, rule.nextClip(0.1, 0.5));
    }

    @Test
    void invalidSettingsNameTheirField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveClipping(1.5, 0.2, 1));
        assertTrue(e.getMessage().startsWith("privacy.targetQuantile"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveClipping(0.5, 0, 1));
        assertTrue(e.getMessage().startsWith("privacy.clipLearningRate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveClipping(0.5, 0.2, -1));
        assertTrue(e.getMessage().startsWith("privacy.clippedCountStddev"), e.getMessage());
    }
}
