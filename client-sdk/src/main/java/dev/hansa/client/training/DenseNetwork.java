package dev.hansa.client.training;

import dev.hansa.aggregation.architecture.DenseArchitecture;
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
    public PerExampleObjective bind(Dataset trainData, Backend backend) {
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
        /** The naive path's per-example gradients, capacity x parameters; allocated on its first use. */
        private FloatArray perExample;

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
            double loss = backpropagate(params, batch, labels, 1f / batch);
            weightGradients(batch, grad);
            return loss / batch;
        }

        /**
         * Forward pass, then the output gradients of every layer into {@code deltas}: row i of {@code deltas[l]} is the
         * gradient of {@code scale * loss_i} with respect to example i's activations at layer l (l >= 1). Rows are
         * independent, which is what per-example clipping needs. Returns the summed loss.
         */
        private double backpropagate(FloatArray params, int batch, int[] labels, float scale) {
            int layers = layerNames.length;
            FloatArray logits = forward(params, batch);
            FloatArray top = deltas[layers].slice(0, (long) batch * widths[layers]);
            double loss = backend.softmaxCrossEntropy(batch, widths[layers], logits, labels, top);
            backend.scal(scale, top);
            for (int l = layers - 1; l > 0; l--) {
                FloatArray below = deltas[l].slice(0, (long) batch * widths[l]);
                backend.gemm(Transpose.NO, Transpose.NO, batch, widths[l], widths[l + 1],
                        1f, deltas[l + 1], widths[l + 1], weight(params, l), widths[l], 0f, below, widths[l]);
                backend.reluBackward(activations[l].slice(0, (long) batch * widths[l]), below);
            }
            return loss;
        }

        /** The batch's summed parameter gradient from the current deltas: dW = delta^T A_l, db = column sums. */
        private void weightGradients(int batch, FloatArray grad) {
            for (int l = layerNames.length - 1; l >= 0; l--) {
                FloatArray delta = deltas[l + 1].slice(0, (long) batch * widths[l + 1]);
                backend.gemm(Transpose.YES, Transpose.NO, widths[l + 1], widths[l], batch,
                        1f, delta, widths[l + 1], activations[l], widths[l], 0f, weight(grad, l), widths[l]);
                backend.columnSums(batch, widths[l + 1], delta, bias(grad, l));
            }
        }

        /** Ghost clipping ({@link PerExampleClipping#GHOST}); returns the summed loss. */
        double ghostClippedSum(FloatArray params, int batch, int[] labels, double clip, FloatArray sumOut) {
            double loss = backpropagate(params, batch, labels, 1f);
            int layers = layerNames.length;
            double[] squaredNorms = new double[batch];
            for (int l = 0; l < layers; l++) {
                for (int i = 0; i < batch; i++) {
                    FloatArray a = row(activations[l], i, widths[l]);
                    FloatArray g = row(deltas[l + 1], i, widths[l + 1]);
                    // ||g a^T||_F^2 = ||g||^2 ||a||^2 for the weights, + ||g||^2 for the bias.
                    squaredNorms[i] += (double) backend.dot(g, g) * ((double) backend.dot(a, a) + 1);
                }
            }
            for (int i = 0; i < batch; i++) {
                float factor = clipFactor(Math.sqrt(squaredNorms[i]), clip);
                if (factor < 1f) {
                    // Backprop is linear in the output gradient: scaling example i's rows scales its gradient.
                    for (int l = 1; l <= layers; l++) {
                        backend.scal(factor, row(deltas[l], i, widths[l]));
                    }
                }
            }
            weightGradients(batch, sumOut);
            return loss;
        }

        /** The naive path ({@link PerExampleClipping#NAIVE}); returns the summed loss. */
        double naiveClippedSum(FloatArray params, int batch, int[] labels, double clip, FloatArray sumOut) {
            double loss = backpropagate(params, batch, labels, 1f);
            int count = spec.parameterCount();
            if (perExample == null) {
                perExample = backend.allocate((long) capacity * count);
            }
            for (int i = 0; i < batch; i++) {
                FloatArray gradient = perExample.slice((long) i * count, count);
                for (int l = 0; l < layerNames.length; l++) {
                    FloatArray g = row(deltas[l + 1], i, widths[l + 1]);
                    backend.gemm(Transpose.YES, Transpose.NO, widths[l + 1], widths[l], 1,
                            1f, g, widths[l + 1], row(activations[l], i, widths[l]), widths[l], 0f,
                            weight(gradient, l), widths[l]);
                    backend.copy(g, bias(gradient, l));
                }
            }
            backend.fill(sumOut, 0f);
            for (int i = 0; i < batch; i++) {
                FloatArray gradient = perExample.slice((long) i * count, count);
                backend.axpy(clipFactor(backend.nrm2(gradient), clip), gradient, sumOut);
            }
            return loss;
        }

        private static FloatArray row(FloatArray matrix, int i, int width) {
            return matrix.slice((long) i * width, width);
        }

        private static float clipFactor(double norm, double clip) {
            return (float) Math.min(1, clip / (norm + PerExampleObjective.NORM_EPSILON));
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
            if (perExample != null) {
                perExample.close();
            }
        }
    }

    /** The gradient oracle over one client's data; grows its workspace to the largest batch seen. */
    private final class Bound implements PerExampleObjective {
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
            int[] labels = load(params, batch, gradOut);
            return workspace.lossAndGradient(params, batch.length, labels, gradOut);
        }

        @Override
        public double clippedGradientSum(FloatArray params, int[] batch, double clip, PerExampleClipping mode,
                                         FloatArray sumOut) {
            if (!(clip > 0) || Double.isInfinite(clip)) {
                throw new IllegalArgumentException("clip must be finite and > 0, got " + clip);
            }
            int[] labels = load(params, batch, sumOut);
            double loss = switch (mode) {
                case NAIVE -> workspace.naiveClippedSum(params, batch.length, labels, clip, sumOut);
                case GHOST -> workspace.ghostClippedSum(params, batch.length, labels, clip, sumOut);
            };
            return loss / batch.length;
        }

        /** Checks the arguments, grows the workspace to the batch and stages it; returns its labels. */
        private int[] load(FloatArray params, int[] batch, FloatArray out) {
            if (batch.length == 0) {
                throw new IllegalArgumentException("batch must not be empty");
            }
            if (params.length() != spec.parameterCount() || out.length() != spec.parameterCount()) {
                throw new IllegalArgumentException("params and the gradient must hold " + spec.parameterCount()
                        + " floats");
            }
            if (workspace == null || workspace.capacity < batch.length) {
                if (workspace != null) {
                    workspace.close();
                }
                workspace = new Workspace(backend, batch.length, true);
            }
            return workspace.load(data, batch);
        }
    }
}
