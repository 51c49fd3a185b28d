package dev.hansa.privacy.noise;

/**
 * Exact samples of the discrete Gaussian on the integers, {@code P(x) proportional to exp(-x^2 / (2 sigma^2))} with
 * an integer {@code sigma^2}, by the rejection sampler of Canonne, Kamath and Steinke ("The Discrete Gaussian for
 * Differential Privacy", NeurIPS 2020, Algorithms 1 to 3): a discrete Laplace proposal of scale
 * {@code t = floor(sigma) + 1}, accepted with probability {@code exp(-(|y| - sigma^2/t)^2 / (2 sigma^2))}. Every
 * Bernoulli trial compares uniform integers with exact rationals, so no floating-point rounding shapes the
 * distribution: Mironov's attack on textbook samplers (CCS 2012) has nothing to read.
 */
final class DiscreteGaussian {

    /** Largest sigma^2 accepted: keeps the acceptance denominator {@code 2 sigma^2 t^2} below 2^107. */
    static final long MAX_SIGMA_SQUARED = 1L << 52;
    /**
     * A proposal with {@code ||y| t - sigma^2| >= 2^62} has an acceptance exponent above 2^124 / 2^107, so its
     * acceptance probability is below exp(-2^17): it is rejected outright, which keeps the squares below 2^124.
     */
    private static final long MAX_OFFSET = 1L << 62;

    private final long sigmaSquared;
    private final long t;
    private final UInt128 acceptanceDenominator;
    private final SecureBits bits;

    DiscreteGaussian(long sigmaSquared, SecureBits bits) {
        if (sigmaSquared < 1 || sigmaSquared > MAX_SIGMA_SQUARED) {
            throw new IllegalArgumentException("sigmaSquared must be in [1, 2^52], got " + sigmaSquared);
        }
        this.sigmaSquared = sigmaSquared;
        this.t = floorSqrt(sigmaSquared) + 1;
        this.acceptanceDenominator = UInt128.product(sigmaSquared, t).times(t).times(2);
        this.bits = bits;
    }

    long sigmaSquared() {
        return sigmaSquared;
    }

    /** One sample (CKS Algorithm 3). */
    long sample() {
        while (true) {
            long y = discreteLaplace();
            long offset;
            try {
                offset = Math.abs(Math.subtractExact(Math.multiplyExact(Math.abs(y), t), sigmaSquared));
            } catch (ArithmeticException e) {
                continue;  // |y| beyond 2^63 / t: probability below exp(-2^63 / t^2), nil
            }
            if (offset >= MAX_OFFSET) {
                continue;
            }
            if (bernoulliExpMinus(UInt128.product(offset, offset), acceptanceDenominator)) {
                return y;
            }
        }
    }

    /** The discrete Laplace of scale t, {@code P(x) proportional to exp(-|x| / t)} (CKS Algorithm 2, s = 1). */
    private long discreteLaplace() {
        UInt128 scale = UInt128.of(t);
        UInt128 one = UInt128.of(1);
        while (true) {
            long u = bits.below(t);
            if (!bernoulliExpMinus(UInt128.of(u), scale)) {
                continue;
            }
            long v = 0;
            while (bernoulliExpMinus(one, one)) {
                v++;
            }
            long x = u + t * v;
            boolean negative = bits.nextBoolean();
            if (negative && x == 0) {
                continue;
            }
            return negative ? -x : x;
        }
    }

    /** {@code Bernoulli(exp(-num/den))} (CKS Algorithm 1 and its extension to exponents above 1). */
    private boolean bernoulliExpMinus(UInt128 num, UInt128 den) {
        UInt128 rest = num;
        UInt128 one = UInt128.of(1);
        while (rest.compareTo(den) > 0) {
            if (!bernoulliExpMinus(one, one)) {
                return false;
            }
            rest = rest.minus(den);
        }
        // exp(-g) for g = rest/den in [0, 1]: K is the first k with Bernoulli(g/k) = 0; accept when K is odd.
        long k = 1;
        while (bits.below(den.times(k)).compareTo(rest) < 0) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** {@code floor(sqrt(n))} exactly, for n in [0, 2^62]. */
    static long floorSqrt(long n) {
        long r = (long) Math.sqrt((double) n);
        while (r * r > n) {
            r--;
        }
        while ((r + 1) * (r + 1) <= n) {
            r++;
        }
        return r;
    }
}
