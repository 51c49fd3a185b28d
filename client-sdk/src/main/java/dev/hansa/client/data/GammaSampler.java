package dev.hansa.client.data;

import java.util.SplittableRandom;

/**
 * Gamma(shape, 1) and Dirichlet variates by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000); shapes below 1
 * use the boost Gamma(a) = Gamma(a + 1) * U^(1/a).
 */
final class GammaSampler {

    private GammaSampler() {
    }

    static double gamma(double shape, SplittableRandom random) {
        if (!(shape > 0)) {
            throw new IllegalArgumentException("gamma shape must be > 0: " + shape);
        }
        if (shape < 1) {
            double u = random.nextDouble();
            return gamma(shape + 1, random) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                x = gaussian(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A draw from the symmetric Dirichlet(alpha, ..., alpha) over {@code k} categories. */
    static double[] dirichlet(double alpha, int k, SplittableRandom random) {
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = gamma(alpha, random);
            sum += p[i];
        }
        if (sum == 0) {
            // Every component underflowed (tiny alpha): put all mass on one uniformly chosen category.
            p[random.nextInt(k)] = 1;
            return p;
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double gaussian(SplittableRandom random) {
        // Marsaglia polar method; explicit so the stream is defined by SplittableRandom alone.
        double u, v, s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
