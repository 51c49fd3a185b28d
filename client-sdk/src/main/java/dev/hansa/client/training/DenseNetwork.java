package dev.hansa.client.training;

import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;

/**
 * The forward and backward passes of a {@link DenseArchitecture} (softmax regression and the MLP): ReLU between
 * layers, softmax cross-entropy on top, every vector operation on the given {@link Backend}.
 */
public final class DenseNetwork implements TrainableModel {

    private final DenseArchitecture architecture;
    private final int[] widths;
    private final String[] layerNames;
    private final ModelSpec spec;
    /** Test samples per forward pass of {@link #evaluate}: large enough for efficient products, small in memory. */
    private static final int EVAL_CHUNK = 1000;

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
        int chunk = Math.max(1, Math.min(EVAL_CHUNK, data.size()));
        int classes = widths[widths.length - 1];
        try (FloatArray params = backend.upload(weights.values()); Workspace ws = new Workspace(backend, chunk, false)) {
            double loss = 0;
            long correct = 0;
            float[] logits = new float[chunk * classes];
            for (int from = 0; from < data.size(); from += chunk) {
                int rows = Math.min(chunk, data.size() - from);
                int[] labels = ws.loadRange(data, from, rows);
                FloatArray out = ws.forward(params, rows);
                out.copyToHost(0, logits, 0, rows * classes);
                // The logits are on the host already: the loss gradient, which nothing reads, may overwrite them.
                loss += backend.softmaxCrossEntropy(rows, classes, out, labels, out);
                correct += correct(logits, labels, rows, classes);
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

    /**
     * Rows whose largest logit is their label's. A method of its own, not a loop in {@link #evaluate}: a loop there
     * made the JIT compile evaluate with the whole forward pass inlined, three times per run (on-stack replacement,
     * then normal, then again after a deoptimisation), seconds of compilation on a one-core run.
     */
    private static int correct(float[] logits, int[] labels, int rows, int classes) {
        int correct = 0;
        for (int i = 0; i < rows; i++) {
            if (argmax(logits, i * classes, classes) == labels[i]) {
                correct++;
            }
        }
        return correct;
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

    /**
     * Activation buffers for batches of up to {@code capacity} rows, reused across calls; with {@code training}, also
     * the gradient buffers of the backward pass and a host staging area for gathering minibatch rows.
     */
    private final class Workspace implements AutoCloseable {
        private final Backend backend;
        private final int capacity;
        private final FloatArray[] activations; // activations[0] = input, activations[l] = output of layer l
        private final FloatArray[] deltas;      // gradient w.r.t. activations[l]; null when not training
        private final float[] staging;

        Workspace(Backend backend, int capacity, boolean training) {
            this.backend = backend;
            this.capacity = capacity;
            this.activations = new FloatArray[widths.length];
            this.deltas = new FloatArray[widths.length];
            for (int l = 0; l < widths.length; l++) {
                activations[l] = backend.allocate((long) capacity * widths[l]);
                deltas[l] = l == 0 || !training ? null : backend.allocate((long) capacity * widths[l]);
            }
            this.staging = training ? new float[capacity * widths[0]] : null;
        }

        /** Stages samples [from, from + rows) on the backend in one copy and returns their labels. */
        int[] loadRange(Dataset data, int from, int rows) {
            data.copyFeatures(from, rows, activations[0]);
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = data.label(from + i);
            }
            return labels;
        }

        /** Gathers the rows' features on the host, stages them on the backend and returns their labels. */
        int[] load(Dataset data, int[] rows) {
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                data.copyFeatures(rows[i], staging, i * widths[0]);
                labels[i] = data.label(rows[i]);
            }
            activations[0].copyFromHost(staging, 0, 0, rows.length * widths[0]);
            return labels;
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
                workspace = new Workspace(backend, batch.length, true);
            }
            int[] labels = workspace.load(data, batch);
            return workspace.lossAndGradient(params, batch.length, labels, gradOut);
        }
    }
}
