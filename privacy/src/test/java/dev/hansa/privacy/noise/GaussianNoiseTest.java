package dev.hansa.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {

    @Nested
    class Calibrating {

        @Test
        void theStddevCoversTheRoundedSensitivityAndBarelyMore() {
            for (int d : new int[] {1, 13, 1_000_000}) {
                for (double z : new double[] {0.3, 1, 7.5}) {
                    GaussianNoise.Calibration c = GaussianNoise.calibrate(2.5, z, d);
                    double needed = z * (2.5 + c.granularity() * Math.sqrt(d));
                    assertTrue(c.stddev() >= needed, "stddev " + c.stddev() + " below " + needed);
                    assertTrue(c.stddev() <= needed * (1 + 1e-12), "stddev " + c.stddev() + " far above " + needed);
                    // A power-of-two grid step at most std / 2^24.
                    assertEquals(c.granularity(), Math.scalb(1.0, Math.getExponent(c.granularity())));
                    assertTrue(c.granularity() <= c.stddev() / (1 << GaussianNoise.GRID_BITS));
                }
            }
        }

        @Test
        void theGridCostsAtMostATenThousandthForAMillionCoordinates() {
            GaussianNoise.Calibration c = GaussianNoise.calibrate(1, 1, 1_000_000);
            assertTrue(c.stddev() < 1 + 1e-4, "stddev " + c.stddev());
        }

        @Test
        void misuseRaisesNamingTheParameter() {
            assertThrows(IllegalArgumentException.class, () -> GaussianNoise.calibrate(-1, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> GaussianNoise.calibrate(1, -0.5, 1));
            assertThrows(IllegalArgumentException.class, () -> GaussianNoise.calibrate(1, Double.NaN, 1));
            assertThrows(IllegalArgumentException.class, () -> GaussianNoise.calibrate(Double.POSITIVE_INFINITY, 1, 1));
            var e = assertThrows(IllegalArgumentException.class, () -> GaussianNoise.calibrate(1, 1, 0));
            assertTrue(e.getMessage().startsWith("dimension"), e.getMessage());
        }
    }

    @Nested
    class Adding {

        private static final int N = 200_000;

        @Test
        void theNoiseHasTheCalibratedStandardDeviationAndAGaussianShape() {
            GaussianNoise.Calibration c = GaussianNoise.calibrate(2.0, 1.5, N);
            double[] noised = GaussianNoise.seeded(11).add(new double[N], c);
            double sigma = c.stddev();
            double sum = 0;
            double squares = 0;
            double fourth = 0;
            int withinOne = 0;
            for (double x : noised) {
                sum += x;
                squares += x * x;
                fourth += x * x * x * x;
                withinOne += Math.abs(x) <= sigma ? 1 : 0;
            }
            double mean = sum / N;
            double variance = squares / N;
            // Bounds at 5 or more standard errors of each estimate: a fixed seed, and far from flaky for any seed.
            assertEquals(0, mean, 5 * sigma / Math.sqrt(N), "mean");
            assertEquals(1, Math.sqrt(variance) / sigma, 5 / Math.sqrt(2.0 * N), "stddev / calibrated");
            assertEquals(0.682689, (double) withinOne / N, 5 * Math.sqrt(0.2166 / N), "share within one sigma");
            assertEquals(3, fourth / N / (variance * variance), 5 * Math.sqrt(24.0 / N), "kurtosis");
        }

        @Test
        void everyOutputIsOnTheGridAndIgnoresTheValuesLowBits() {
            GaussianNoise.Calibration c = GaussianNoise.calibrate(1, 1, 3);
            double g = c.granularity();
            // Points of the grid, and the same points moved within their cells.
            double[] values = {Math.rint(0.1 / g) * g, Math.rint(123.456 / g) * g, -7.0};
            double[] nudged = {Math.nextUp(values[0]), values[1] + g / 8, values[2] - g / 3};
            double[] a = GaussianNoise.seeded(5).add(values, c);
            double[] b = GaussianNoise.seeded(5).add(nudged, c);
            assertArrayEquals(a, b, "inputs within a grid cell give the same outputs: their low bits do not show");
            for (double x : a) {
                assertEquals(x, Math.rint(x / g) * g, "output " + x + " is off the grid " + g);
            }
        }

        @Test
        void noNoiseLeavesTheValuesAsTheyAre() {
            double[] values = {1.25, -3e-9, 42};
            double[] out = GaussianNoise.seeded(1).add(values, GaussianNoise.calibrate(1, 0, values.length));
            assertArrayEquals(values, out);
            assertNotSame(values, out);
        }

        @Test
        void theInputIsNotWritten() {
            double[] values = {1, 2, 3};
            GaussianNoise.seeded(2).add(values, GaussianNoise.calibrate(1, 1, 3));
            assertArrayEquals(new double[] {1, 2, 3}, values);
        }

        @Test
        void aValueTooLargeForTheGridRaises() {
            GaussianNoise.Calibration c = GaussianNoise.calibrate(1e-6, 1e-3, 1);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> GaussianNoise.seeded(3).add(new double[] {1e12}, c));
            assertTrue(e.getMessage().contains("index 0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GaussianNoise.seeded(3).add(new double[] {Double.NaN}, c));
        }

        @Test
        void secureNoiseDiffersBetweenInstances() {
            GaussianNoise.Calibration c = GaussianNoise.calibrate(1, 1, 8);
            double[] a = GaussianNoise.secure().add(new double[8], c);
            double[] b = GaussianNoise.secure().add(new double[8], c);
            assertTrue(!java.util.Arrays.equals(a, b), "two system-seeded sources drew the same 8 values");
        }
    }
}
