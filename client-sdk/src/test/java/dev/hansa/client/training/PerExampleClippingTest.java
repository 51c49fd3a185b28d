package dev.hansa.client.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.RandomDatasets;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.JavaBackend;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-example clipping of the dense models: the naive and ghost paths agree with each other and with an independent
 * double-precision recomputation (per-example backprop, clip, sum) written here.
 */
class PerExampleClippingTest {

    private final Backend backend = new JavaBackend();

    private static float[] randomParams(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[count];
        for (int i = 0; i < count; i++) {
            p[i] = (float) (r.nextDouble() - 0.5);
        }
        return p;
    }

    /** One example's loss gradient in double precision: forward with ReLU, softmax cross-entropy, backprop. */
    private static double[] referenceGradient(int[] w, float[] params, Dataset data, int sample) {
        int layers = w.length - 1;
        double[][] a = new double[w.length][];
        float[] row = new float[w[0]];
        data.copyFeatures(sample, row, 0);
        a[0] = new double[w[0]];
        for (int j = 0; j < w[0]; j++) {
            a[0][j] = row[j];
        }
        int[] at = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            at[l] = offset;
            offset += w[l + 1] * w[l] + w[l + 1];
            a[l + 1] = new double[w[l + 1]];
            for (int o = 0; o < w[l + 1]; o++) {
                double s = params[at[l] + w[l + 1] * w[l] + o];
                for (int i = 0; i < w[l]; i++) {
                    s += params[at[l] + o * w[l] + i] * a[l][i];
                }
                a[l + 1][o] = l + 1 < layers ? Math.max(0, s) : s;
            }
        }
        double[] logits = a[layers];
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = Arrays.stream(logits).map(v -> Math.exp(v - max)).sum();
        double[] delta = new double[logits.length];
        for (int c = 0; c < logits.length; c++) {
            delta[c] = Math.exp(logits[c] - max) / sum - (c == data.label(sample) ? 1 : 0);
        }
        double[] grad = new double[offset];
        for (int l = layers - 1; l >= 0; l--) {
            for (int o = 0; o < w[l + 1]; o++) {
                for (int i = 0; i < w[l]; i++) {
                    grad[at[l] + o * w[l] + i] = delta[o] * a[l][i];
                }
                grad[at[l] + w[l + 1] * w[l] + o] = delta[o];
            }
            if (l > 0) {
                double[] below = new double[w[l]];
                for (int i = 0; i < w[l]; i++) {
                    double s = 0;
                    for (int o = 0; o < w[l + 1]; o++) {
                        s += delta[o] * params[at[l] + o * w[l] + i];
                    }
                    below[i] = a[l][i] > 0 ? s : 0;
                }
                delta = below;
            }
        }
        return grad;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** The reference clipped sum, and the per-example norms it saw. */
    private static double[] referenceClippedSum(int[] w, float[] params, Dataset data, int[] batch, double clip,
                                                double[] normsOut) {
        double[] sum = null;
        for (int k = 0; k < batch.length; k++) {
            double[] g = referenceGradient(w, params, data, batch[k]);
            sum = sum == null ? new double[g.length] : sum;
            normsOut[k] = norm(g);
            double factor = Math.min(1, clip / (normsOut[k] + 1e-6));
            for (int j = 0; j < g.length; j++) {
                sum[j] += factor * g[j];
            }
        }
        return sum;
    }

    private float[] clippedSum(DenseNetwork net, Dataset data, float[] params, int[] batch, double clip,
                               PerExampleClipping mode) {
        PerExampleObjective objective = net.bind(data, backend);
        try (FloatArray p = backend.upload(params); FloatArray out = backend.allocate(params.length)) {
            objective.clippedGradientSum(p, batch, clip, mode, out);
            return out.toHost();
        }
    }

    private static double relativeDistance(float[] actual, double[] expected) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            ref += expected[i] * expected[i];
        }
        return Math.sqrt(diff / ref);
    }

    private static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @ParameterizedTest(name = "{0} inputs, hidden [{1}], {2} classes, batch {3}")
    @CsvSource({"13, '7,5', 3, 17", "29, '11', 7, 31", "9, '', 4, 1", "37, '', 10, 23", "50, '19,3', 6, 64"})
    void naiveAndGhostAgreeWithEachOtherAndWithADoubleRecomputation(int inputs, String hidden, int classes,
                                                                     int batchSize) {
        int[] h = hidden.isEmpty() ? new int[0]
                : Arrays.stream(hidden.split(",")).mapToInt(Integer::parseInt).toArray();
        DenseNetwork net = h.length == 0 ? DenseNetwork.softmaxRegression(inputs, classes)
                : DenseNetwork.mlp(inputs, h, classes);
        Dataset data = RandomDatasets.uniform(batchSize + 9, inputs, classes, inputs * 31L + batchSize);
        float[] params = randomParams(net.spec().parameterCount(), batchSize);
        int[] batch = new SplittableRandom(7).ints(batchSize, 0, data.size()).toArray();
        double[] norms = new double[batchSize];
        referenceClippedSum(net.widths(), params, data, batch, 1, norms);
        // The median norm as the clip: about half the examples are clipped, half pass unchanged.
        double clip = Arrays.stream(norms).sorted().toArray()[batchSize / 2];
        double[] expected = referenceClippedSum(net.widths(), params, data, batch, clip, norms);

        float[] naive = clippedSum(net, data, params, batch, clip, PerExampleClipping.NAIVE);
        float[] ghost = clippedSum(net, data, params, batch, clip, PerExampleClipping.GHOST);

        double ghostVsNaive = relativeDistance(ghost, widen(naive));
        assertTrue(ghostVsNaive <= 1e-6, "ghost vs naive: " + ghostVsNaive);
        assertTrue(relativeDistance(naive, expected) <= 1e-5, "naive vs double: " + relativeDistance(naive, expected));
        assertTrue(relativeDistance(ghost, expected) <= 1e-5, "ghost vs double: " + relativeDistance(ghost, expected));
    }

    @Test
    void everyClippedContributionIsBoundedByTheClip() {
        DenseNetwork net = DenseNetwork.mlp(12, new int[] {6}, 4);
        Dataset data = RandomDatasets.uniform(40, 12, 4, 3);
        float[] params = randomParams(net.spec().parameterCount(), 5);
        for (int sample = 0; sample < data.size(); sample++) {
            for (PerExampleClipping mode : PerExampleClipping.values()) {
                float[] one = clippedSum(net, data, params, new int[] {sample}, 0.05, mode);
                assertTrue(norm(widen(one)) <= 0.05 * (1 + 1e-6), mode + " example " + sample);
            }
        }
    }

    @Test
    void aClipAboveEveryNormLeavesTheSummedGradient() {
        DenseNetwork net = DenseNetwork.mlp(10, new int[] {8}, 3);
        Dataset data = RandomDatasets.uniform(20, 10, 3, 11);
        float[] params = randomParams(net.spec().parameterCount(), 13);
        int[] batch = {0, 3, 5, 7, 19, 3};
        PerExampleObjective objective = net.bind(data, backend);
        try (FloatArray p = backend.upload(params); FloatArray mean = backend.allocate(params.length)) {
            double loss = objective.lossAndGradient(p, batch, mean);
            float[] sum = clippedSum(net, data, params, batch, 1e6, PerExampleClipping.GHOST);
            float[] expected = mean.toHost();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i] * batch.length, sum[i], 1e-5);
            }
            try (FloatArray out = backend.allocate(params.length)) {
                assertEquals(loss, objective.clippedGradientSum(p, batch, 1e6, PerExampleClipping.NAIVE, out), 1e-9);
            }
        }
    }

    @Test
    void refusesANonPositiveClip() {
        DenseNetwork net = DenseNetwork.softmaxRegression(5, 2);
        PerExampleObjective objective = net.bind(RandomDatasets.uniform(4, 5, 2, 1), backend);
        try (FloatArray p = backend.allocate(net.spec().parameterCount());
             FloatArray out = backend.allocate(net.spec().parameterCount())) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> objective.clippedGradientSum(p, new int[] {0}, 0, PerExampleClipping.GHOST, out));
            assertTrue(e.getMessage().contains("clip"), e.getMessage());
        }
    }
}
