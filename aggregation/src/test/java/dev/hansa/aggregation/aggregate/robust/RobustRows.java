package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Inputs and double-precision references for the robust rules' tests: rows as float arrays (what a round holds), the
 * same rows materialised in double (what the references compute on), and a round run through the pipeline from a
 * {@code robustness} config map.
 */
final class RobustRows {

    private RobustRows() {
    }

    /**
     * n rows of d values around a common point at distance {@code offset} from the origin (where uncentred Gram
     * products would cancel), {@code outliers} of them pushed far away.
     */
    static List<float[]> gaussian(int n, int d, long seed, double offset, int outliers) {
        Random r = new Random(seed);
        float[] common = new float[d];
        for (int j = 0; j < d; j++) {
            common[j] = (float) (offset / Math.sqrt(d) * (1 + 0.1 * r.nextGaussian()));
        }
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = new float[d];
            double scale = i < outliers ? 20 : 1;
            for (int j = 0; j < d; j++) {
                row[j] = common[j] + (float) (scale * r.nextGaussian());
            }
            rows.add(row);
        }
        return rows;
    }

    /** Rows exactly as written (the values must be floats). */
    static List<float[]> of(double[]... values) {
        List<float[]> rows = new ArrayList<>();
        for (double[] v : values) {
            float[] row = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                row[j] = (float) v[j];
            }
            rows.add(row);
        }
        return rows;
    }

    /** The rows as a batch, each of weight 1. */
    static HeapBatch batch(List<float[]> rows) {
        double[] weights = new double[rows.size()];
        Arrays.fill(weights, 1);
        return new HeapBatch(rows, weights, rows.getFirst().length);
    }

    static double[][] doubles(List<float[]> rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] row = rows.get(i);
            out[i] = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                out[i][j] = row[j];
            }
        }
        return out;
    }

    /** Every row of {@code batch}, read through its column blocks. */
    static double[][] materialise(UpdateBatch batch) {
        int n = batch.size();
        int d = batch.dimension();
        float[] all = new float[n * d];
        batch.readColumns(0, d, all);
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = all[i * d + j];
            }
        }
        return out;
    }

    static double distance(double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += (x[j] - y[j]) * (x[j] - y[j]);
        }
        return Math.sqrt(s);
    }

    static double norm(double[] x) {
        return distance(x, new double[x.length]);
    }

    /** The plain mean of {@code rows[subset]}. */
    static double[] mean(double[][] rows, int[] subset) {
        double[] out = new double[rows[0].length];
        for (int i : subset) {
            for (int j = 0; j < out.length; j++) {
                out[j] += rows[i][j] / subset.length;
            }
        }
        return out;
    }

    /** {@code sum_i a_i rows_i}. */
    static double[] combination(double[][] rows, double[] a) {
        double[] out = new double[rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] += a[i] * rows[i][j];
            }
        }
        return out;
    }

    /** Each value within {@code tolerance} times the largest magnitude in {@code expected} (at least 1). */
    static void assertClose(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double scale = 1;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], tolerance * scale, "coordinate " + j);
        }
    }

    /** The rows' aggregate through a pipeline built from the {@code robustness} section, uniform weights. */
    static double[] throughPipeline(Map<String, ?> robustness, List<float[]> rows) {
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {rows.getFirst().length}));
        AggregationPipeline pipeline = new AggregationPipeline(Aggregators.robustness(robustness),
                UpdateWeighting.UNIFORM);
        RoundAggregation round = pipeline.start(spec, 7);
        for (int i = 0; i < rows.size(); i++) {
            Update u = new Update("c" + i, "train", new Tensors(spec, rows.get(i)), 1, Map.of());
            round.add(pipeline.admit(u, 1));
        }
        return round.result().role("train").orElseThrow().mean();
    }

    /** The reference smoothed Weiszfeld iteration on materialised rows, from z = 0. */
    static double[] weiszfeld(double[][] rows, double[] alpha, double nu, int iterations) {
        double[] z = new double[rows[0].length];
        for (int t = 0; t < iterations; t++) {
            double[] beta = new double[rows.length];
            double total = 0;
            for (int i = 0; i < rows.length; i++) {
                beta[i] = alpha[i] / Math.max(nu, distance(rows[i], z));
                total += beta[i];
            }
            for (int i = 0; i < rows.length; i++) {
                beta[i] /= total;
            }
            z = combination(rows, beta);
        }
        return z;
    }
}
