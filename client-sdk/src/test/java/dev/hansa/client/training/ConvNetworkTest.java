package dev.hansa.client.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.RandomDatasets;
import dev.hansa.compute.Backend;
import dev.hansa.compute.CpuBackend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.JavaBackend;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convolutional trainer against an independent double-precision recomputation written from the definitions
 * (direct convolution sums, window maxima, no im2col), on both host backends: one input channel (the staged batch is
 * the first block's input) and three (swapped to channel-major first), odd sides that the pooling floors.
 */
class ConvNetworkTest {

    private static final JavaBackend JAVA = new JavaBackend();
    private static final CpuBackend CPU = new CpuBackend();

    @AfterAll
    static void close() {
        JAVA.close();
        CPU.close();
    }

    static Stream<Arguments> networks() {
        // 1 x 12 x 11 -> conv 3 x 3 -> 10 x 9 -> pool 5 x 4 -> conv -> 3 x 2 -> pool 1 x 1: flat 5, 6 hidden, 4 classes
        ConvArchitecture gray = new ConvArchitecture(1, 12, 11, new int[] {4, 5}, 3, new int[] {6}, 4);
        // 3 x 7 x 8 -> conv 2 -> 6 x 7 -> pool 3 x 3: flat 4 * 9, no hidden layer.
        ConvArchitecture colour = new ConvArchitecture(3, 7, 8, new int[] {4}, 2, new int[0], 3);
        return Stream.<Backend>of(JAVA, CPU).flatMap(b -> Stream.of(Arguments.of(gray, b), Arguments.of(colour, b)));
    }

    private static Dataset data(ConvArchitecture net, int n, long seed) {
        int features = net.inputChannels() * net.inputHeight() * net.inputWidth();
        return RandomDatasets.uniform(n, features, net.denseWidths()[net.denseWidths().length - 1], seed);
    }

    @ParameterizedTest
    @MethodSource("networks")
    void lossAndGradientMatchTheDefinitionsAndTheirCentralDifferences(ConvArchitecture net, Backend backend) {
        Dataset data = data(net, 9, 3);
        Tensors w = net.initialize(5);
        int[] batch = {0, 2, 3, 5, 8};
        float[] grad;
        double loss;
        try (FloatArray p = backend.upload(w.values()); FloatArray g = backend.allocate(w.values().length)) {
            loss = new ConvNetwork(net).bind(data, backend).lossAndGradient(p, batch, g);
            grad = g.toHost();
        }
        double[] params = toDouble(w.values());
        Reference reference = new Reference(net, data);
        assertEquals(reference.meanLoss(params, batch), loss, 1e-5);
        double h = 1e-6;
        for (int i = 0; i < params.length; i++) {
            double keep = params[i];
            params[i] = keep + h;
            double up = reference.meanLoss(params, batch);
            params[i] = keep - h;
            double down = reference.meanLoss(params, batch);
            params[i] = keep;
            assertEquals((up - down) / (2 * h), grad[i], 2e-4, "parameter " + i + " (" + w.tensorAt(i) + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    void naiveAndGhostClippingMatchEachExamplesOwnGradientClipped(ConvArchitecture net, Backend backend) {
        Dataset data = data(net, 7, 11);
        Tensors w = net.initialize(13);
        int[] batch = {6, 1, 4, 0, 3};
        int count = w.values().length;
        ConvNetwork network = new ConvNetwork(net);
        try (FloatArray p = backend.upload(w.values()); FloatArray g = backend.allocate(count)) {
            // Each example's gradient on its own, in float through the batched path, then its norm in double.
            PerExampleObjective objective = network.bind(data, backend);
            double[][] own = new double[batch.length][];
            double[] norms = new double[batch.length];
            for (int e = 0; e < batch.length; e++) {
                objective.lossAndGradient(p, new int[] {batch[e]}, g);
                own[e] = toDouble(g.toHost());
                norms[e] = Math.sqrt(dot(own[e], own[e]));
            }
            double[] sorted = norms.clone();
            java.util.Arrays.sort(sorted);
            double clip = (sorted[1] + sorted[2]) / 2; // clips three of the five
            double[] want = new double[count];
            for (int e = 0; e < batch.length; e++) {
                double factor = Math.min(1, clip / (norms[e] + PerExampleObjective.NORM_EPSILON));
                for (int i = 0; i < count; i++) {
                    want[i] += factor * own[e][i];
                }
            }
            for (PerExampleClipping mode : PerExampleClipping.values()) {
                double meanLoss = network.bind(data, backend).clippedGradientSum(p, batch, clip, mode, g);
                float[] got = g.toHost();
                double scale = Math.sqrt(dot(want, want));
                for (int i = 0; i < count; i++) {
                    assertEquals(want[i], got[i], 1e-5 * scale, mode + " parameter " + i);
                }
                assertEquals(new Reference(net, data).meanLoss(toDouble(w.values()), batch), meanLoss, 1e-5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    void evaluationOverSeveralChunksCountsTheReferencesPredictions(ConvArchitecture net, Backend backend) {
        Dataset data = data(net, 450, 17); // 200 + 200 + 50: two full chunks and a partial one
        Tensors w = net.initialize(19);
        Evaluation e = new ConvNetwork(net).evaluate(w, data, backend);
        Reference reference = new Reference(net, data);
        double[] params = toDouble(w.values());
        int correct = 0;
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
            correct += reference.predicted(params, i) == data.label(i) ? 1 : 0;
        }
        assertEquals(correct / 450.0, e.accuracy(), 1e-12);
        assertEquals(reference.meanLoss(params, all), e.loss(), 1e-5);
    }

    @ParameterizedTest
    @MethodSource("networks")
    void aFewStepsOfSgdLowerTheLoss(ConvArchitecture net, Backend backend) {
        Dataset data = data(net, 16, 23);
        Tensors w = net.initialize(29);
        int[] batch = new int[16];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i;
        }
        PerExampleObjective objective = new ConvNetwork(net).bind(data, backend);
        try (FloatArray p = backend.upload(w.values()); FloatArray g = backend.allocate(w.values().length)) {
            double first = objective.lossAndGradient(p, batch, g);
            double last = first;
            for (int step = 0; step < 60; step++) {
                backend.axpy(-0.5f, g, p);
                last = objective.lossAndGradient(p, batch, g);
            }
            assertTrue(last < 0.8 * first, first + " -> " + last);
        }
    }

    @ParameterizedTest
    @MethodSource("networks")
    void dataOfAnotherShapeIsRefused(ConvArchitecture net, Backend backend) {
        Dataset wrong = RandomDatasets.uniform(4, 5, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvNetwork(net).bind(wrong, backend));
        assertTrue(e.getMessage().startsWith("data has 5 features, the model expects " + net.inputChannels() + " x "),
                e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("networks")
    void theRegistryBuildsTheSameNetwork(ConvArchitecture net, Backend backend) {
        TrainableModel built = TrainableModels.create("cnn", Map.of("inputChannels", net.inputChannels(),
                "inputHeight", net.inputHeight(), "inputWidth", net.inputWidth(), "convChannels",
                java.util.Arrays.stream(net.convChannels()).boxed().toList(), "kernelSize", net.kernel(),
                "hiddenLayers", java.util.Arrays.stream(net.denseWidths()).skip(1)
                        .limit(net.denseWidths().length - 2).boxed().toList(),
                "numClasses", net.denseWidths()[net.denseWidths().length - 1]));
        assertTrue(built instanceof ConvNetwork);
        assertEquals(net.spec(), built.spec());
        assertEquals(List.of(backend.name()), List.of(backend.name()));
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The network from its definition, in double: direct convolutions, ReLU, window maxima, dense layers. */
    private record Reference(ConvArchitecture net, Dataset data) {

        double meanLoss(double[] params, int[] batch) {
            double total = 0;
            for (int sample : batch) {
                double[] logits = logits(params, sample);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : logits) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : logits) {
                    sum += Math.exp(v - max);
                }
                total += Math.log(sum) + max - logits[data.label(sample)];
            }
            return total / batch.length;
        }

        int predicted(double[] params, int sample) {
            double[] logits = logits(params, sample);
            int best = 0;
            for (int j = 1; j < logits.length; j++) {
                best = logits[j] > logits[best] ? j : best;
            }
            return best;
        }

        double[] logits(double[] params, int sample) {
            int c = net.inputChannels(), h = net.inputHeight(), wd = net.inputWidth(), k = net.kernel();
            float[] row = new float[c * h * wd];
            data.copyFeatures(sample, row, 0);
            double[][][] image = new double[c][h][wd];
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < wd; x++) {
                        image[ch][y][x] = row[(ch * h + y) * wd + x];
                    }
                }
            }
            int at = 0;
            for (int out : net.convChannels()) {
                int in = image.length, oh = image[0].length - k + 1, ow = image[0][0].length - k + 1;
                int biasAt = at + out * in * k * k;
                double[][][] pooled = new double[out][oh / 2][ow / 2];
                for (int o = 0; o < out; o++) {
                    double[][] conv = new double[oh][ow];
                    for (int y = 0; y < oh; y++) {
                        for (int x = 0; x < ow; x++) {
                            double s = params[biasAt + o];
                            for (int i = 0; i < in; i++) {
                                for (int ki = 0; ki < k; ki++) {
                                    for (int kj = 0; kj < k; kj++) {
                                        s += params[at + ((o * in + i) * k + ki) * k + kj] * image[i][y + ki][x + kj];
                                    }
                                }
                            }
                            conv[y][x] = Math.max(0, s);
                        }
                    }
                    for (int y = 0; y < oh / 2; y++) {
                        for (int x = 0; x < ow / 2; x++) {
                            pooled[o][y][x] = Math.max(Math.max(conv[2 * y][2 * x], conv[2 * y][2 * x + 1]),
                                    Math.max(conv[2 * y + 1][2 * x], conv[2 * y + 1][2 * x + 1]));
                        }
                    }
                }
                image = pooled;
                at = biasAt + out;
            }
            double[] a = new double[image.length * image[0].length * image[0][0].length];
            int flat = 0;
            for (double[][] plane : image) {
                for (double[] line : plane) {
                    for (double v : line) {
                        a[flat++] = v; // torch.flatten of [C, H, W]
                    }
                }
            }
            int[] widths = net.denseWidths();
            for (int l = 0; l + 1 < widths.length; l++) {
                double[] z = new double[widths[l + 1]];
                int biasAt = at + widths[l + 1] * widths[l];
                for (int o = 0; o < widths[l + 1]; o++) {
                    double s = params[biasAt + o];
                    for (int i = 0; i < widths[l]; i++) {
                        s += params[at + o * widths[l] + i] * a[i];
                    }
                    z[o] = l + 2 < widths.length ? Math.max(0, s) : s;
                }
                at = biasAt + widths[l + 1];
                a = z;
            }
            return a;
        }
    }
}
