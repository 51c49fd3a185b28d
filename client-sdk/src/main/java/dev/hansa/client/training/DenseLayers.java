package dev.hansa.client.training;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;

/**
 * A stack of fully connected layers on a {@link Backend}, ReLU between them, logits out, softmax cross-entropy on
 * top: the whole of a {@link DenseNetwork} and the head of a {@link ConvNetwork}. Holds the activation buffers (and,
 * for training, the output gradients) of batches of up to {@code capacity} rows; the caller writes each batch's input
 * into {@link #input()}. Layer l's weight and bias are tensors {@code first + 2l} and {@code first + 2l + 1} of the
 * model's spec.
 */
final class DenseLayers implements AutoCloseable {

    private final Backend backend;
    private final ModelSpec spec;
    private final int first;
    private final int[] widths;
    private final FloatArray[] activations; // activations[0] = input, activations[l] = output of layer l
    private final FloatArray[] deltas;      // gradient w.r.t. activations[l]; null when not training

    DenseLayers(Backend backend, ModelSpec spec, int first, int[] widths, int capacity, boolean training) {
        this.backend = backend;
        this.spec = spec;
        this.first = first;
        this.widths = widths.clone();
        this.activations = new FloatArray[widths.length];
        this.deltas = new FloatArray[widths.length];
        for (int l = 0; l < widths.length; l++) {
            activations[l] = backend.allocate((long) capacity * widths[l]);
            deltas[l] = l == 0 || !training ? null : backend.allocate((long) capacity * widths[l]);
        }
    }

    /** The input buffer, capacity x widths[0]: the first rows of a batch go here before {@link #forward}. */
    FloatArray input() {
        return activations[0];
    }

    private int layers() {
        return widths.length - 1;
    }

    FloatArray weight(FloatArray params, int l) {
        return params.slice(spec.offset(first + 2 * l), (long) widths[l + 1] * widths[l]);
    }

    FloatArray bias(FloatArray params, int l) {
        return params.slice(spec.offset(first + 2 * l + 1), widths[l + 1]);
    }

    /** Runs the batch in {@link #input()} through the layers; returns the logits (batch x classes). */
    FloatArray forward(FloatArray params, int batch) {
        int layers = layers();
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

    /**
     * Forward pass, then the output gradients of every layer into the deltas: row i of layer l's is the gradient of
     * {@code scale * loss_i} with respect to example i's activations at layer l (l >= 1). Rows are independent,
     * which is what per-example clipping needs. Returns the summed loss.
     */
    double backpropagate(FloatArray params, int batch, int[] labels, float scale) {
        int layers = layers();
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

    /** After {@link #backpropagate}: the gradient with respect to the input, batch x widths[0], into {@code out}. */
    void inputGradient(FloatArray params, int batch, FloatArray out) {
        backend.gemm(Transpose.NO, Transpose.NO, batch, widths[0], widths[1],
                1f, deltas[1], widths[1], weight(params, 0), widths[0], 0f, out, widths[0]);
    }

    /** The batch's summed parameter gradient from the current deltas: dW = delta^T A_l, db = column sums. */
    void weightGradients(int batch, FloatArray grad) {
        for (int l = layers() - 1; l >= 0; l--) {
            FloatArray delta = deltas[l + 1].slice(0, (long) batch * widths[l + 1]);
            backend.gemm(Transpose.YES, Transpose.NO, widths[l + 1], widths[l], batch,
                    1f, delta, widths[l + 1], activations[l], widths[l], 0f, weight(grad, l), widths[l]);
            backend.columnSums(batch, widths[l + 1], delta, bias(grad, l));
        }
    }

    /** Adds each example's squared gradient norm over these layers to {@code squaredNorms} (ghost clipping). */
    void addGhostNorms(int batch, double[] squaredNorms) {
        for (int l = 0; l < layers(); l++) {
            for (int i = 0; i < batch; i++) {
                FloatArray a = row(activations[l], i, widths[l]);
                FloatArray g = row(deltas[l + 1], i, widths[l + 1]);
                // ||g a^T||_F^2 = ||g||^2 ||a||^2 for the weights, + ||g||^2 for the bias.
                squaredNorms[i] += (double) backend.dot(g, g) * ((double) backend.dot(a, a) + 1);
            }
        }
    }

    /** Scales example i's output gradients at every layer; backprop is linear in them, so its gradient scales. */
    void scaleExample(int i, float factor) {
        for (int l = 1; l <= layers(); l++) {
            backend.scal(factor, row(deltas[l], i, widths[l]));
        }
    }

    /** Example i's own gradient of these layers, from the current deltas, into its tensors of {@code gradient}. */
    void exampleGradient(int i, FloatArray gradient) {
        for (int l = 0; l < layers(); l++) {
            FloatArray g = row(deltas[l + 1], i, widths[l + 1]);
            backend.gemm(Transpose.YES, Transpose.NO, widths[l + 1], widths[l], 1,
                    1f, g, widths[l + 1], row(activations[l], i, widths[l]), widths[l], 0f,
                    weight(gradient, l), widths[l]);
            backend.copy(g, bias(gradient, l));
        }
    }

    static FloatArray row(FloatArray matrix, int i, int width) {
        return matrix.slice((long) i * width, width);
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
