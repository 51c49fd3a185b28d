package dev.hansa.privacy.noise;

/**
 * Gaussian noise for a release of {@code d} coordinates with L2 sensitivity {@code C}, safe against the
 * floating-point attack on textbook samplers (Mironov, "On Significance of the Least Significant Bits for
 * Differential Privacy", CCS 2012) in the way Google's DP library defends (its {@code GaussianNoise} and
 * "Secure Noise Generation"): every output is an integer multiple of a power-of-two grid step {@code g}, the value
 * rounded to the grid plus integer noise, so the set of outputs cannot depend on the value's low bits. The integer
 * noise is an exact discrete Gaussian ({@link DiscreteGaussian}), not Google's binomial approximation, and the bits
 * come from {@link SecureBits}.
 *
 * <p>Rounding to the grid moves each coordinate by up to g/2, so two neighbouring inputs may differ by up to
 * {@code C + g sqrt(d)} after rounding. {@link #calibrate} accounts for it: the noise's standard deviation is
 * {@code z (C + g sqrt(d))} rounded up to the grid's variance, never less, so the accountant's noise multiplier z
 * holds for the rounded release. With g at most {@code std / 2^}{@value #GRID_BITS} the excess is below 10^-4 for
 * a million coordinates at z = 1.
 */
public final class GaussianNoise {

    /** The grid step is at most the noise's standard deviation divided by 2^GRID_BITS. */
    public static final int GRID_BITS = 24;

    private final SecureBits bits;

    private GaussianNoise(SecureBits bits) {
        this.bits = bits;
    }

    /** Noise for deployments: bits seeded by the operating system. */
    public static GaussianNoise secure() {
        return new GaussianNoise(SecureBits.fromSystem());
    }

    /** Reproducible noise, for tests and simulations only. */
    public static GaussianNoise seeded(long seed) {
        return new GaussianNoise(SecureBits.seeded(seed));
    }

    /** Noise whose bits come from the 32-byte secret {@code key} ({@link SecureBits#keyed}). */
    public static GaussianNoise keyed(byte[] key) {
        return new GaussianNoise(SecureBits.keyed(key));
    }

    /**
     * How noise is added to a release: the grid step and the grid variance of the integer noise.
     *
     * @param granularity  the grid step g (a power of two); 0 when no noise is added
     * @param gridVariance sigma^2 of the integer noise, in units of g^2
     */
    public record Calibration(double granularity, long gridVariance) {

        /** The standard deviation of the noise added, {@code g sqrt(gridVariance)}. */
        public double stddev() {
            return granularity * Math.sqrt((double) gridVariance);
        }
    }

    /**
     * The calibration for noise multiplier {@code z} on a release of {@code dimension} coordinates with L2
     * sensitivity {@code sensitivity}: standard deviation at least {@code z (sensitivity + g sqrt(dimension))}. No
     * noise when either is 0 (a release that cannot differ between neighbours needs none).
     */
    public static Calibration calibrate(double sensitivity, double noiseMultiplier, int dimension) {
        if (!(sensitivity >= 0) || Double.isInfinite(sensitivity)) {
            throw new IllegalArgumentException("sensitivity must be finite and >= 0, got " + sensitivity);
        }
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noiseMultiplier must be finite and >= 0, got " + noiseMultiplier);
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        if (noiseMultiplier == 0 || sensitivity == 0) {
            return new Calibration(0, 0);
        }
        double g = gridStep(noiseMultiplier * sensitivity);
        double std = noiseMultiplier * (sensitivity + g * Math.sqrt(dimension));
        while (gridStep(std) > g) {
            g = gridStep(std);
            std = noiseMultiplier * (sensitivity + g * Math.sqrt(dimension));
        }
        double ratio = std / g;
        // +1: the rounded square may fall short of the exact one by an ulp; the excess is 2^-48 relative at most.
        long gridVariance = (long) Math.ceil(ratio * ratio) + 1;
        return new Calibration(g, gridVariance);
    }

    /**
     * {@code values} rounded to the calibration's grid plus independent noise per coordinate, as a new array;
     * {@code values} are left as they are. Without noise (multiplier 0) the values come back unchanged.
     *
     * @throws IllegalArgumentException when a value is not finite or too large for the grid (|v| >= 2^52 g)
     */
    public double[] add(double[] values, Calibration calibration) {
        double[] out = values.clone();
        if (calibration.gridVariance() == 0) {
            return out;
        }
        double g = calibration.granularity();
        DiscreteGaussian integers = new DiscreteGaussian(calibration.gridVariance(), bits);
        for (int i = 0; i < out.length; i++) {
            double steps = Math.rint(values[i] / g);
            if (!(Math.abs(steps) < 0x1p52)) {
                throw new IllegalArgumentException("value " + values[i] + " at index " + i
                        + " is not finite or too large for the noise grid step " + g);
            }
            out[i] = ((long) steps + integers.sample()) * g;
        }
        return out;
    }

    /**
     * {@code count} independent draws of the calibration's integer noise, in units of its grid step: what
     * {@link #add} adds to the rounded values, for mechanisms that combine several draws exactly before releasing
     * (tree aggregation). All zeros without noise.
     */
    public long[] gridIntegers(Calibration calibration, int count) {
        long[] out = new long[count];
        if (calibration.gridVariance() == 0) {
            return out;
        }
        DiscreteGaussian integers = new DiscreteGaussian(calibration.gridVariance(), bits);
        for (int i = 0; i < count; i++) {
            out[i] = integers.sample();
        }
        return out;
    }

    /** One draw of N(0, stddev^2) on its own grid, for scalar releases such as the clipped count. */
    public double sample(double stddev) {
        return add(new double[] {0}, calibrate(stddev, 1, 1))[0];
    }

    /** The power of two at most {@code std / 2^GRID_BITS}. */
    private static double gridStep(double std) {
        return Math.scalb(1.0, Math.getExponent(std) - GRID_BITS);
    }
}
