package dev.hansa.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiscreteGaussianTest {

    @Test
    void matchesTheExactProbabilitiesForASmallSigma() {
        // sigma^2 = 4: P(x) = exp(-x^2/8) / Z; a chi-square test over x in [-8, 8] with the tails pooled.
        DiscreteGaussian sampler = new DiscreteGaussian(4, SecureBits.seeded(7));
        int n = 200_000;
        int[] counts = new int[19];
        for (int i = 0; i < n; i++) {
            long x = sampler.sample();
            counts[(int) Math.clamp(x, -9, 9) + 9]++;
        }
        double z = 0;
        for (int x = -60; x <= 60; x++) {
            z += Math.exp(-x * x / 8.0);
        }
        double[] expected = new double[19];
        for (int x = -60; x <= 60; x++) {
            expected[Math.clamp(x, -9, 9) + 9] += n * Math.exp(-x * x / 8.0) / z;
        }
        double chi2 = 0;
        int cells = 0;
        for (int k = 0; k < 19; k++) {
            if (expected[k] >= 5) {
                chi2 += Math.pow(counts[k] - expected[k], 2) / expected[k];
                cells++;
            }
        }
        // 99.999th percentile of chi-square with about 16 degrees of freedom is near 52.
        assertTrue(chi2 < 52, "chi2 = " + chi2 + " over " + cells + " cells");
    }

    @Test
    void theVarianceIsSigmaSquaredForALargeSigma() {
        long sigma2 = 1L << 48;
        DiscreteGaussian sampler = new DiscreteGaussian(sigma2, SecureBits.seeded(8));
        int n = 100_000;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double x = sampler.sample();
            squares += x * x;
        }
        assertEquals(1, squares / n / sigma2, 5 * Math.sqrt(2.0 / n));
    }

    @Test
    void refusesAVarianceOutsideItsRange() {
        assertThrows(IllegalArgumentException.class, () -> new DiscreteGaussian(0, SecureBits.seeded(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new DiscreteGaussian(DiscreteGaussian.MAX_SIGMA_SQUARED + 1, SecureBits.seeded(1)));
    }

    @Test
    void floorSqrtIsExact() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long n = random.nextLong(1L << 62);
            long r = DiscreteGaussian.floorSqrt(n);
            assertTrue(r * r <= n && (r + 1) * (r + 1) > n, "floorSqrt(" + n + ") = " + r);
        }
    }

    @Test
    void uint128AgreesWithBigInteger() {
        Random random = new Random(4);
        for (int i = 0; i < 10_000; i++) {
            long a = random.nextLong() >>> 1;
            long b = random.nextLong() >>> 1 + random.nextInt(40);
            long f = random.nextLong() >>> 30;
            UInt128 p = UInt128.product(a, b);
            assertEquals(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)), big(p));
            BigInteger times = big(p).multiply(BigInteger.valueOf(f));
            if (times.bitLength() <= 128) {
                assertEquals(times, big(p.times(f)));
            } else {
                assertThrows(ArithmeticException.class, () -> p.times(f));
            }
            UInt128 q = UInt128.product(b, f);
            if (p.compareTo(q) >= 0) {
                assertEquals(big(p).subtract(big(q)), big(p.minus(q)));
            }
            assertEquals(big(p).compareTo(big(q)), Integer.signum(p.compareTo(q)));
        }
    }

    @Test
    void belowIsUniform() {
        SecureBits bits = SecureBits.seeded(9);
        UInt128 bound = UInt128.product(3, 1L << 62).times(4);  // 3 * 2^64: both words are drawn
        int[] high = new int[3];
        int[] small = new int[10];
        for (int i = 0; i < 30_000; i++) {
            high[(int) bits.below(bound).hi()]++;
            small[(int) bits.below(10)]++;
        }
        // 6 standard deviations of a binomial count.
        for (int c : high) {
            assertEquals(10_000, c, 6 * Math.sqrt(30_000 / 3.0 * 2 / 3), java.util.Arrays.toString(high));
        }
        for (int c : small) {
            assertEquals(3_000, c, 6 * Math.sqrt(30_000 * 0.1 * 0.9), java.util.Arrays.toString(small));
        }
    }

    private static BigInteger big(UInt128 x) {
        return new BigInteger(Long.toUnsignedString(x.hi())).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(x.lo())));
    }
}
