package dev.hansa.aggregation.strategy.diloco;

import dev.hansa.aggregation.testing.QuadraticModel;

/** PyTorch's AdamW on full batches, in double, written out from its documentation: the tests' reference. */
final class AdamWReference {

    final double lr;
    final double beta1;
    final double beta2;
    final double epsilon;
    final double weightDecay;
    final double clip;

    AdamWReference(double lr, double beta1, double beta2, double epsilon, double weightDecay, double clip) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.clip = clip;
    }

    /** DiLoCo's published inner optimizer at learning rate {@code lr}: betas (0.9, 0.95), decay 0.1, clip 1. */
    static AdamWReference diloco(double lr) {
        return new AdamWReference(lr, 0.9, 0.95, 1e-8, 0.1, 1.0);
    }

    /** The weights after {@code steps} full-batch steps from {@code x0}, moments starting at zero. */
    double[] run(QuadraticModel model, double[] x0, int steps) {
        return run(model, x0, steps, 0)[0];
    }

    /** The weights after {@code steps} steps, and as they were {@code lastSteps} steps before the end. */
    double[][] run(QuadraticModel model, double[] x0, int steps, int lastSteps) {
        double[] x = x0.clone();
        double[] snapshot = lastSteps == 0 ? x : null;
        double[] m = new double[x.length];
        double[] v = new double[x.length];
        for (int t = 1; t <= steps; t++) {
            if (t == steps - lastSteps + 1) {
                snapshot = x.clone();
            }
            double[] g = model.gradient(x, model.allRows());
            double norm = 0;
            for (double gi : g) {
                norm += gi * gi;
            }
            norm = Math.sqrt(norm);
            double scale = clip > 0 && norm > clip ? clip / norm : 1;
            for (int j = 0; j < x.length; j++) {
                double gj = g[j] * scale;
                x[j] -= lr * weightDecay * x[j];
                m[j] = beta1 * m[j] + (1 - beta1) * gj;
                v[j] = beta2 * v[j] + (1 - beta2) * gj * gj;
                double mHat = m[j] / (1 - Math.pow(beta1, t));
                double vHat = v[j] / (1 - Math.pow(beta2, t));
                x[j] -= lr * mHat / (Math.sqrt(vHat) + epsilon);
            }
        }
        return new double[][] {x, snapshot};
    }
}
