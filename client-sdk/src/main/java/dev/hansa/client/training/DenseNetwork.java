package dev.hansa.client.training;

import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;
import java.util.Arrays;

/**
 * The forward and backward passes of a {@link DenseArchitecture} (softmax regression and the MLP): ReLU between
 * layers, softmax cross-entropy on top, every vector operation on the given {@link Backend}.
 */
public final class DenseNetwork implements TrainableModel {

    private final DenseArchitecture architecture;
    private final int[] widths;
    private final String[] layerNames;
    private final ModelSpec spec;

    DenseNetwork(DenseArchitecture architecture) {
        this.architecture = architecture;
        this.widths = architecture.widths();
        this.layerNames = architecture.layerNames();
        this.spec = architecture.spec();
    }

    public static DenseNetwork mlp(int inputs, int[] hidden, int classes) {
        return new DenseNetwork(DenseArchitecture.mlp(inputs, hidden, classes));
    }

    public static DenseNetwork softmaxRegression(int inputs, int classes) {
        return new DenseNetwork(DenseArchitecture.softmaxRegression(inputs, classes));
    }

    @Override
    public DenseArchitecture architecture() {
        return architecture;
    }

    /** Layer widths from input to output. */
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public Objective bind(Dataset trainData, Backend backend) {
        checkData(trainData);
        return new Bound(trainData, backend);
    }

    @Override
    public Evaluation evaluate(Tensors weights, Dataset data, Backend backend) {
        checkData(data);
        if (!weights.spec().equals(spec)) {
            throw new IllegalArgumentException("weights do not match the " + architecture.name() + " spec " + spec);
        }
        int chunk = 1000;
        int classes = widths[widths.length - 1];
        try (FloatArray params = backend.upload(weights.values()); Workspace ws = new Workspace(backend, chunk)) {
            double loss = 0;
            long correct = 0;
            int[] all = new int[data.size()];
            Arrays.setAll(all, i -> i);
            float[] logits = new float[chunk * classes];
            for (int from = 0; from < data.size(); from += chunk) {
                int[] rows = Arrays.copyOfRange(all, from, Math.min(data.size(), from + chunk));
                int[] labels = ws.load(data, rows);
                FloatArray out = ws.forward(params, rows.length);
                out.copyToHost(0, logits, 0, rows.length * classes);
                loss += backend.softmaxCrossEntropy(rows.length, classes, out, labels, ws.scratch(rows.length * classes));
                for (int i = 0; i < rows.length; i++) {
                    if (argmax(logits, i * classes, classes) == labels[i]) {
                        correct++;
                    }
                }
            }
            return new Evaluation(loss / data.size(), (double) correct / data.size(), data.size());
        }
    }

    private void checkData(Dataset data) {
        if (data.featureCount() != widths[0]) {
            throw new IllegalArgumentException("data has " + data.featureCount() + " features, the model expects " + widths[0]);
        }
        if (data.numClasses() > widths[widths.length - 1]) {
            throw new IllegalArgumentException("data has " + data.numClasses() + " classes, the model outputs "
                    + widths[widths.length - 1]);
        }
    }

    private static int argmax(float[] values, int offset, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Activation buffers for batches of up to {@code capacity} rows, reused across calls. */
    private final class Workspace implements AutoCloseable {
        private final Backend backend;
        private final int capacity;
        private final FloatArray[] activations; // activations[0] = input, activations[l] = output of layer l
        private final FloatArray[] deltas;      // gradient w.r.t. activations[l]
        private final FloatArray scratch;
        private final float[] staging;

        Workspace(Backend backend, int capacity) {
            this.backend = backend;
            this.capacity = capacity;
            this.activations = new FloatArray[widths.length];
            this.deltas = new FloatArray[widths.length];
            int widest = 0;
            for (int l = 0; l < widths.length; l++) {
                activations[l] = backend.allocate((long) capacity * widths[l]);
                deltas[l] = l == 0 ? null : backend.allocate((long) capacity * widths[l]);
                widest = Math.max(widest, widths[l]);
            }
            this.scratch = backend.allocate((long) capacity * widest);
            this.staging = new float[capacity * widths[0]];
        }

        /** Stages the rows' features on the backend and returns their labels. */
        int[] load(Dataset data, int[] rows) {
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                data.copyFeatures(rows[i], staging, i * widths[0]);
                labels[i] = data.label(rows[i]);
            }
            activations[0].copyFromHost(staging, 0, 0, rows.length * widths[0]);
            return labels;
        }

        FloatArray scratch(long length) {
            return scratch.slice(0, length);
        }

        private FloatArray weight(FloatArray params, int l) {
            return params.slice(spec.offset(2 * l), (long) widths[l + 1] * widths[l]);
        }

        private FloatArray bias(FloatArray params, int l) {
            return params.slice(spec.offset(2 * l + 1), widths[l + 1]);
        }

        /** Runs the loaded batch through the network; returns the logits (batch x classes). */
        FloatArray forward(FloatArray params, int batch) {
            int layers = layerNames.length;
            for (int l = 0; l < layers; l++) {
                FloatArray in = activations[l], out = activations[l + 1];
                backend.gemm(Transpose.NO, Transpose.YES, batch, widths[l + 1], widths[l],
                        1f, in, widths[l], weight(params, l), widths[l], 0f, out, widths[l + 1]);
                backend.addRowVector(batch, widths[l + 1], out.slice(0, (long) batch * widths[l + 1]), bias(params, l));
                if (l < layers - 1) {
                    backend.relu(out.slice(0, (long) batch * widths[l + 1]));
                }
            }
            return activations[layers].slice(0, (long) batch * widths[layers]);
        }

        /** Mean loss over the loaded batch; writes the gradient of the mean loss into {@code grad}. */
        double lossAndGradient(FloatArray params, int batch, int[] labels, FloatArray grad) {
            int layers = layerNames.length;
            FloatArray logits = forward(params, batch);
            FloatArray top = deltas[layers].slice(0, (long) batch * widths[layers]);
            double loss = backend.softmaxCrossEntropy(batch, widths[layers], logits, labels, top);
            backend.scal(1f / batch, top);
            for (int l = layers - 1; l >= 0; l--) {
                FloatArray delta = deltas[l + 1].slice(0, (long) batch * widths[l + 1]);
                // dW = delta^T A_l (out x in); db = column sums of delta.
                backend.gemm(Transpose.YES, Transpose.NO, widths[l + 1], widths[l], batch,
                        1f, delta, widths[l + 1], activations[l], widths[l], 0f, weight(grad, l), widths[l]);
                backend.columnSums(batch, widths[l + 1], delta, bias(grad, l));
                if (l > 0) {
                    FloatArray below = deltas[l].slice(0, (long) batch * widths[l]);
                    backend.gemm(Transpose.NO, Transpose.NO, batch, widths[l], widths[l + 1],
                            1f, delta, widths[l + 1], weight(params, l), widths[l], 0f, below, widths[l]);
                    backend.reluBackward(activations[l].slice(0, (long) batch * widths[l]), below);
                }
            }
            return loss / batch;
        }

        @Override
        public void close() {
            for (FloatArray a : activations) {
                a.close();
            }
            for (FloatArray d : deltas) {
                if (d != null) {
                    d.close();
                }
            }
            scratch.close();
        }
    }

    /** The gradient oracle over one client's data; grows its workspace to the largest batch seen. */
    private final class Bound implements Objective {
        private final Dataset data;
        private final Backend backend;
        private Workspace workspace;

        Bound(Dataset data, Backend backend) {
            this.data = data;
            this.backend = backend;
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
            return data.size();
        }

        @Override
        public double lossAndGradient(FloatArray params, int[] batch, FloatArray gradOut) {
            if (batch.length == 0) {
                throw new IllegalArgumentException("batch must not be empty");
            }
            if (params.length() != spec.parameterCount() || gradOut.length() != spec.parameterCount()) {
                throw new IllegalArgumentException("params and gradOut must hold " + spec.parameterCount() + " floats");
            }
            if (workspace == null || workspace.capacity < batch.length) {
                if (workspace != null) {
                    workspace.close();
                }
                workspace = new Workspace(backend, batch.length);
            }
            int[] labels = workspace.load(data, batch);
            return workspace.lossAndGradient(params, batch.length, labels, gradOut);
        }
    }
}
