package dev.hansa.privacy.accounting;

import java.util.Arrays;

/**
 * A discretised privacy loss distribution (as in dp_accounting's {@code DensePLDPmf}): probability {@code probs[k]} at
 * the loss (lowerIndex + k) * interval, and {@code infinityMass} at +infinity. Every operation is pessimistic: mass
 * it cannot place exactly moves to a larger loss or to infinity, so delta(epsilon) only ever grows. Immutable.
 */
final class PrivacyLossPmf {

    private final double interval;
    private final long lowerIndex;
    private final double[] probs;
    private final double infinityMass;

    PrivacyLossPmf(double interval, long lowerIndex, double[] probs, double infinityMass) {
        this.interval = interval;
        this.lowerIndex = lowerIndex;
        this.probs = probs;
        this.infinityMass = Math.min(1, infinityMass);
    }

    /** No privacy loss: all mass at 0 (the distribution of a mechanism that reveals nothing). */
    static PrivacyLossPmf identity(double interval) {
        return new PrivacyLossPmf(interval, 0, new double[] {1}, 0);
    }

    /** Infinite loss with certainty: a mechanism without noise. */
    static PrivacyLossPmf infinite(double interval) {
        return new PrivacyLossPmf(interval, 0, new double[] {0}, 1);
    }

    /**
     * The pessimistic connect-the-dots distribution (Doroshenko, Ghazi, Kamath, Kumar and Manurangsi 2022,
     * Algorithm 1; dp_accounting's {@code create_pmf_pessimistic_connect_dots}) supported on the grid points
     * (lowerIndex + k) * interval, from the exact hockey-stick divergences {@code deltas[k]} there. Its delta(epsilon)
     * equals the exact one at the grid points and interpolates between them along e^epsilon, which lies above the
     * convex exact curve: an upper bound everywhere.
     */
    static PrivacyLossPmf connectTheDots(double interval, long lowerIndex, double[] deltas) {
        int n = deltas.length;
        double[] monotone = deltas.clone();
        for (int k = 1; k < n; k++) {
            monotone[k] = Math.min(monotone[k], monotone[k - 1]);
        }
        double down = Math.expm1(-interval);
        double up = Math.expm1(interval);
        double[] probs = new double[n];
        for (int k = 0; k < n; k++) {
            double fromBelow = k == 0 ? 1 - monotone[0] : (monotone[k] - monotone[k - 1]) / down;
            double fromAbove = k == n - 1 ? 0 : (monotone[k + 1] - monotone[k]) / up;
            probs[k] = Math.max(0, fromBelow + fromAbove);
        }
        return new PrivacyLossPmf(interval, lowerIndex, probs, monotone[n - 1]);
    }

    /**
     * The distribution of the sum of a loss drawn from this and one drawn from {@code other} (composition of two
     * mechanisms), by FFT convolution. Tails of mass up to tailMass/2 on each side are cut: the lower one onto the
     * first kept point, the upper one to infinity.
     */
    PrivacyLossPmf compose(PrivacyLossPmf other, double tailMass) {
        requireSameInterval(other);
        int length = probs.length + other.probs.length - 1;
        int size = Fft.size(length);
        double[] re = padded(probs, size);
        double[] im = new double[size];
        double[] otherRe = padded(other.probs, size);
        double[] otherIm = new double[size];
        Fft.forward(re, im);
        Fft.forward(otherRe, otherIm);
        for (int k = 0; k < size; k++) {
            double real = re[k] * otherRe[k] - im[k] * otherIm[k];
            im[k] = re[k] * otherIm[k] + im[k] * otherRe[k];
            re[k] = real;
        }
        Fft.inverse(re, im);
        double[] convolved = new double[length];
        for (int k = 0; k < length; k++) {
            convolved[k] = Math.max(0, re[k]);
        }
        double infinity = infinityMass + other.infinityMass - infinityMass * other.infinityMass;
        return truncated(lowerIndex + other.lowerIndex, convolved, infinity, tailMass);
    }

    /**
     * This distribution composed with itself {@code times} times, with one FFT: the transform raised to that power.
     * The output window comes from Chernoff bounds on the sum (dp_accounting's {@code compute_self_convolve_bounds}),
     * so that at most tailMass lies outside it; that mass is added to infinity (what wraps around into the window
     * only adds to it, at larger losses than its own).
     */
    PrivacyLossPmf selfCompose(long times, double tailMass) {
        if (times == 1) {
            return this;
        }
        long[] window = chernoffWindow(times, tailMass);
        long length = window[1] - window[0] + 1;
        int size = Fft.size(Math.max(length, probs.length));
        double[] re = padded(probs, size);
        double[] im = new double[size];
        Fft.forward(re, im);
        for (int k = 0; k < size; k++) {
            double modulus = Math.pow(Math.hypot(re[k], im[k]), times);
            double angle = times * Math.atan2(im[k], re[k]);
            re[k] = modulus * Math.cos(angle);
            im[k] = modulus * Math.sin(angle);
        }
        Fft.inverse(re, im);
        double[] out = new double[(int) length];
        for (int k = 0; k < length; k++) {
            out[k] = Math.max(0, re[(int) Math.floorMod(k + window[0], (long) size)]);
        }
        double infinity = tailMass - Math.expm1(times * Math.log1p(-infinityMass));
        return new PrivacyLossPmf(interval, lowerIndex * times + window[0], out, infinity);
    }

    /**
     * The hockey-stick divergence at epsilon: infinityMass plus the sum over losses l &gt; epsilon of
     * p (1 - e^(epsilon - l)).
     */
    double delta(double epsilon) {
        double delta = infinityMass;
        for (int k = probs.length - 1; k >= 0; k--) {
            double loss = loss(k);
            if (loss <= epsilon) {
                break;
            }
            delta -= probs[k] * Math.expm1(epsilon - loss);
        }
        return Math.min(1, delta);
    }

    /**
     * The smallest epsilon &gt;= 0 with delta(epsilon) &lt;= delta, exactly: between two grid losses delta(epsilon) is
     * U - e^epsilon L with U and L the sums of p and p e^-l above, so the crossing solves in closed form. +infinity
     * when the infinite loss alone has more mass than delta.
     */
    double epsilon(double delta) {
        if (infinityMass > delta) {
            return Double.POSITIVE_INFINITY;
        }
        double upper = infinityMass;
        double lower = 0;
        for (int k = probs.length - 1; k >= 0; k--) {
            double loss = loss(k);
            if (loss < 0) {
                break;
            }
            if (upper - Math.exp(loss) * lower > delta) {
                return Math.log((upper - delta) / lower);
            }
            upper += probs[k];
            lower += probs[k] * Math.exp(-loss);
        }
        return upper > delta ? Math.max(0, Math.log((upper - delta) / lower)) : 0;
    }

    double infinityMass() {
        return infinityMass;
    }

    int size() {
        return probs.length;
    }

    private double loss(int k) {
        return (lowerIndex + k) * interval;
    }

    /** [lower, upper] offsets of the sum of `times` draws outside which at most tailMass lies (Chernoff). */
    private long[] chernoffWindow(long times, double tailMass) {
        long lower = 0;
        long upper = (probs.length - 1) * times;
        double[] logProbs = new double[probs.length];
        for (int k = 0; k < probs.length; k++) {
            logProbs[k] = Math.log(probs[k]);
        }
        for (int j = -20; j <= 20; j++) {
            if (j == 0) {
                continue;
            }
            double order = (double) j / probs.length;
            double logMgf = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < probs.length; k++) {
                logMgf = LogSpace.add(logMgf, k * order + logProbs[k]);
            }
            double bound = (times * logMgf + Math.log(2 / tailMass)) / order;
            if (!Double.isFinite(bound)) {
                continue;
            }
            if (order > 0) {
                upper = Math.min(upper, (long) Math.ceil(bound));
            } else {
                lower = Math.max(lower, (long) Math.floor(bound));
            }
        }
        return new long[] {lower, Math.max(lower, upper)};
    }

    /** Cuts the largest prefix and suffix of mass &lt;= tailMass/2 each (dp_accounting's _truncate_tails). */
    private PrivacyLossPmf truncated(long lowerIndex, double[] mass, double infinity, double tailMass) {
        int left = prefixWithin(mass, tailMass / 2, false);
        int right = mass.length - prefixWithin(mass, tailMass / 2, true);
        right = Math.max(right, left + 1);
        double leftMass = 0;
        for (int k = 0; k < left; k++) {
            leftMass += mass[k];
        }
        double rightMass = 0;
        for (int k = right; k < mass.length; k++) {
            rightMass += mass[k];
        }
        double[] kept = Arrays.copyOfRange(mass, left, right);
        kept[0] += leftMass;
        return new PrivacyLossPmf(interval, lowerIndex + left, kept, infinity + rightMass);
    }

    private static int prefixWithin(double[] mass, double threshold, boolean fromEnd) {
        double sum = 0;
        for (int i = 0; i < mass.length; i++) {
            sum += mass[fromEnd ? mass.length - 1 - i : i];
            if (sum > threshold) {
                return i;
            }
        }
        return mass.length;
    }

    private static double[] padded(double[] values, int size) {
        return Arrays.copyOf(values, size);
    }

    private void requireSameInterval(PrivacyLossPmf other) {
        if (other.interval != interval) {
            throw new IllegalArgumentException(
                    "cannot compose loss distributions on grids " + interval + " and " + other.interval);
        }
    }
}
