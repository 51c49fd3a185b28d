package dev.hansa.client.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.RandomDatasets;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.JavaBackend;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DenseNetworkTest {

    private final Backend backend = new JavaBackend();

    /** Independent double-precision forward pass: mean softmax cross-entropy of an MLP with ReLU. */
    private static double referenceLoss(DenseNetwork net, double[] params, Dataset data, int[] batch) {
        int[] w = net.widths();
        double total = 0;
        float[] row = new float[w[0]];
        for (int sample : batch) {
            data.copyFeatures(sample, row, 0);
            double[] a = new double[w[0]];
            for (int j = 0; j < w[0]; j++) {
                a[j] = row[j];
            }
            int at = 0;
            for (int l = 0; l + 1 < w.length; l++) {
                double[] z = new double[w[l + 1]];
                int biasAt = at + w[l + 1] * w[l];
                for (int o = 0; o < w[l + 1]; o++) {
                    double s = params[biasAt + o];
                    for (int i = 0; i < w[l]; i++) {
                        s += params[at + o * w[l] + i] * a[i];
                    }
                    z[o] = l + 2 < w.length ? Math.max(0, s) : s;
                }
                at = biasAt + w[l + 1];
                a = z;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : a) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : a) {
                sum += Math.exp(v - max);
            }
            total += Math.log(sum) + max - a[data.label(sample)];
        }
        return total / batch.length;
    }

    @Test
    void parameterCountsMatchTheLiterature() {
        assertEquals(199_210, DenseNetwork.mlp(784, new int[] {200, 200}, 10).spec().parameterCount());
        assertEquals(159_010, DenseNetwork.mlp(784, new int[] {200}, 10).spec().parameterCount());
        assertEquals(7_850, DenseNetwork.softmaxRegression(784, 10).spec().parameterCount());
    }

    @Test
    void tensorNamesFollowPytorchLinear() {
        DenseNetwork net = DenseNetwork.mlp(4, new int[] {3}, 2);
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), net.spec().names());
        assertArrayEquals(new int[] {3, 4}, net.spec().tensor("fc1.weight").shape());
    }

    @Test
    void initialisationIsSeededAndBounded() {
        DenseNetwork net = DenseNetwork.mlp(16, new int[] {8}, 3);
        Tensors a = net.initialize(7), b = net.initialize(7), c = net.initialize(8);
        assertArrayEquals(a.values(), b.values());
        assertTrue(!java.util.Arrays.equals(a.values(), c.values()));
        for (float v : a.tensor("fc1.weight")) {
            assertTrue(Math.abs(v) <= 0.25f);
        }
        for (float v : a.tensor("fc2.bias")) {
            assertTrue(Math.abs(v) <= 1 / Math.sqrt(8) + 1e-6);
        }
    }

    @Test
    void lossMatchesDoublePrecisionReference() {
        DenseNetwork net = DenseNetwork.mlp(7, new int[] {5, 4}, 3);
        Dataset data = RandomDatasets.uniform(20, 7, 3, 1);
        Tensors w = net.initialize(3);
        Objective objective = net.bind(data, backend);
        int[] batch = {0, 3, 5, 19, 7};
        try (FloatArray p = backend.upload(w.values()); FloatArray g = backend.allocate(w.values().length)) {
            double loss = objective.lossAndGradient(p, batch, g);
            assertEquals(referenceLoss(net, toDouble(w.values()), data, batch), loss, 1e-5);
        }
    }

    @Test
    void gradientMatchesCentralDifferencesOfTheReference() {
        for (DenseNetwork net : List.of(DenseNetwork.mlp(6, new int[] {5}, 4), DenseNetwork.softmaxRegression(6, 4),
                DenseNetwork.mlp(6, new int[] {5, 3}, 4))) {
            Dataset data = RandomDatasets.uniform(12, 6, 4, 2);
            Tensors w = net.initialize(11);
            int[] batch = {1, 2, 3, 5, 8, 11};
            float[] grad;
            try (FloatArray p = backend.upload(w.values()); FloatArray g = backend.allocate(w.values().length)) {
                net.bind(data, backend).lossAndGradient(p, batch, g);
                grad = g.toHost();
            }
            double[] params = toDouble(w.values());
            double h = 1e-6;
            for (int i = 0; i < params.length; i++) {
                double keep = params[i];
                params[i] = keep + h;
                double up = referenceLoss(net, params, data, batch);
                params[i] = keep - h;
                double down = referenceLoss(net, params, data, batch);
                params[i] = keep;
                assertEquals((up - down) / (2 * h), grad[i], 2e-4, net.name() + " parameter " + i + " (" + w.tensorAt(i) + ")");
            }
        }
    }

    @Test
    void batchSizeChangesReuseTheModel() {
        DenseNetwork net = DenseNetwork.mlp(5, new int[] {4}, 3);
        Dataset data = RandomDatasets.uniform(30, 5, 3, 4);
        Tensors w = net.initialize(1);
        Objective objective = net.bind(data, backend);
        try (FloatArray p = backend.upload(w.values()); FloatArray g = backend.allocate(w.values().length)) {
            double small = objective.lossAndGradient(p, new int[] {2, 4}, g);
            objective.lossAndGradient(p, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, g);
            assertEquals(small, objective.lossAndGradient(p, new int[] {2, 4}, g), 1e-12);
        }
    }

    @Test
    void evaluateCountsCorrectPredictions() {
        // Softmax regression with weights equal to the identity: predicts the largest feature.
        DenseNetwork net = DenseNetwork.softmaxRegression(3, 3);
        float[] values = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
        Dataset data = new Dataset(new float[] {5, 0, 0, 0, 5, 0, 0, 0, 5, 5, 0, 0}, new int[] {0, 1, 2, 1}, 3, 3);
        Evaluation e = net.evaluate(new Tensors(net.spec(), values), data, backend);
        assertEquals(0.75, e.accuracy(), 1e-12);
        double lossRight = Math.log(Math.exp(5) + 2) - 5, lossWrong = Math.log(Math.exp(5) + 2);
        assertEquals((3 * lossRight + lossWrong) / 4, e.loss(), 1e-5);
    }

    @Test
    void registryValidatesParameters() {
        assertEquals(159_010, TrainableModels.create("mlp",
                Map.of("inputSize", 784, "hiddenLayers", List.of(200), "numClasses", 10L)).spec().parameterCount());
        assertEquals(7_850, TrainableModels.create("softmax",
                Map.of("inputSize", 784.0, "numClasses", 10)).spec().parameterCount());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainableModels.create("transformer", Map.of(
                "inputSize", 1, "numClasses", 2))).getMessage().contains("model.architecture"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainableModels.create("mlp", Map.of(
                "inputSize", 784, "hiddenLayers", List.of(0), "numClasses", 10))).getMessage().contains("hiddenLayers[0]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainableModels.create("softmax", Map.of(
                "inputSize", 784, "numClasses", 10, "depth", 3))).getMessage().contains("model.params.depth"));
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
