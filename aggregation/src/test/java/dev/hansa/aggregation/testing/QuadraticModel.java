package dev.hansa.aggregation.testing;

import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.JavaBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * f(x) = mean over rows r of 0.5 (a_r . x - b_r)^2, one sample per row: a test problem with closed-form gradients.
 * Records every batch it was asked for. The parameter vector is split into two tensors to exercise multi-tensor specs.
 */
public final class QuadraticModel implements Objective {

    public final double[][] a;
    public final double[] b;
    /** Every batch lossAndGradient saw, in order. */
    public final List<int[]> batches = new ArrayList<>();
    private final ModelSpec spec;
    private final Backend backend = new JavaBackend();

    public QuadraticModel(double[][] a, double[] b) {
        this(a, b, a[0].length == 1 ? ModelSpec.of(new TensorSpec("x", new int[] {1}))
                : ModelSpec.of(new TensorSpec("x.head", new int[] {1}),
                        new TensorSpec("x.tail", new int[] {a[0].length - 1})));
    }

    /** The problem with its parameters laid out as {@code spec} (of as many parameters as {@code a} has columns). */
    public QuadraticModel(double[][] a, double[] b, ModelSpec spec) {
        if (spec.parameterCount() != a[0].length) {
            throw new IllegalArgumentException("spec has " + spec.parameterCount() + " parameters, a has "
                    + a[0].length + " columns");
        }
        this.a = a;
        this.b = b;
        this.spec = spec;
    }

    /** This problem with its parameters laid out as {@code layout}. */
    public QuadraticModel withSpec(ModelSpec layout) {
        return new QuadraticModel(a, b, layout);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int numSamples() {
        return a.length;
    }

    @Override
    public double lossAndGradient(FloatArray params, int[] batch, FloatArray gradOut) {
        batches.add(batch.clone());
        float[] x = params.toHost();
        double[] g = new double[x.length];
        double loss = 0;
        for (int r : batch) {
            double res = -b[r];
            for (int j = 0; j < x.length; j++) {
                res += a[r][j] * x[j];
            }
            loss += 0.5 * res * res;
            for (int j = 0; j < x.length; j++) {
                g[j] += res * a[r][j];
            }
        }
        float[] out = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = (float) (g[j] / batch.length);
        }
        gradOut.copyFromHost(out);
        return loss / batch.length;
    }

    /** Gradient of the mean loss over {@code rows} at x, in double. */
    public double[] gradient(double[] x, int[] rows) {
        double[] g = new double[x.length];
        for (int r : rows) {
            double res = -b[r];
            for (int j = 0; j < x.length; j++) {
                res += a[r][j] * x[j];
            }
            for (int j = 0; j < x.length; j++) {
                g[j] += res * a[r][j] / rows.length;
            }
        }
        return g;
    }

    public double loss(double[] x, int[] rows) {
        double loss = 0;
        for (int r : rows) {
            double res = -b[r];
            for (int j = 0; j < x.length; j++) {
                res += a[r][j] * x[j];
            }
            loss += 0.5 * res * res / rows.length;
        }
        return loss;
    }

    public int[] allRows() {
        int[] rows = new int[a.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return rows;
    }

    public static QuadraticModel random(int rows, int d, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[][] a = new double[rows][d];
        double[] b = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = r.nextGaussian();
            }
            b[i] = r.nextGaussian();
        }
        return new QuadraticModel(a, b);
    }
}
