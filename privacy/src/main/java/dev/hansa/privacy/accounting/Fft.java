package dev.hansa.privacy.accounting;

import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/** Complex FFTs in place on split real/imaginary arrays, through Apache Commons Math's radix-2 transform. */
final class Fft {

    private Fft() {
    }

    /** The smallest power of two &gt;= n (n &lt;= 2^30). */
    static int size(long n) {
        if (n > 1 << 30) {
            throw new IllegalArgumentException("a privacy loss distribution of " + n + " points is too large");
        }
        return Math.max(1, Integer.highestOneBit((int) Math.max(1, n) - 1) << 1);
    }

    /** The forward transform; the arrays' common length must be a power of two. */
    static void forward(double[] re, double[] im) {
        FastFourierTransformer.transformInPlace(new double[][] {re, im}, DftNormalization.STANDARD,
                TransformType.FORWARD);
    }

    /** The inverse transform, divided by the length, so that inverse(forward(x)) = x. */
    static void inverse(double[] re, double[] im) {
        FastFourierTransformer.transformInPlace(new double[][] {re, im}, DftNormalization.STANDARD,
                TransformType.INVERSE);
    }
}
