package dev.hansa.client.training;

import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import dev.hansa.compute.Transpose;

/**
 * The forward and backward passes of a {@link ConvArchitecture} on a {@link Backend}. A batch's images are kept
 * channel-major (CNHW) through the conv blocks, so each block is one product over the whole batch: {@code im2col}
 * unfolds the block's input into columns (channels k^2 x batch pixels), the weights (out x in k^2) times the columns
 * give the output channels for every example at once, a rank-one product adds the biases, then ReLU and 2 x 2 max
 * pooling. The last block's output is swapped to one row per example, flattened [C, H, W] as PyTorch does, and the
 * dense head ({@link DenseLayers}) computes the logits.
 *
 * <p>Backward, each block's output gradient goes back through the pooling (to the window's first maximum) and ReLU;
 * its weight gradient is that gradient times the columns transposed, its bias gradient the gradient's row sums, and
 * the block input's gradient is {@code col2im} of the weights transposed times it.
 *
 * <p>Per-example clipping ({@link PerExampleObjective}): ghost clipping takes the dense layers' norms from the
 * outer-product identity and each block's from the example's own weight gradient (out x in k^2, small), then scales
 * every stored output gradient of each example by its factor before one batched weight-gradient pass; the naive path
 * materialises each example's whole gradient.
 */
public final class ConvNetwork extends BufferedNetwork {

    /** Test samples per forward pass of {@link #evaluate}: cnn_mnist's second-block columns for 200 are 26 MB. */
    private static final int EVAL_CHUNK = 200;

    private final ConvArchitecture architecture;
    private final ModelSpec spec;
    private final int blocks;
    private final int kernel;
    private final int[] inChannels;
    private final int[] outChannels;
    private final int[] inHeight;
    private final int[] inWidth;
    private final int[] denseWidths;

    public ConvNetwork(ConvArchitecture architecture) {
        this.architecture = architecture;
        this.spec = architecture.spec();
        this.kernel = architecture.kernel();
        this.outChannels = architecture.convChannels();
        this.blocks = outChannels.length;
        this.inChannels = new int[blocks + 1];
        this.inHeight = new int[blocks + 1];
        this.inWidth = new int[blocks + 1];
        inHeight[0] = architecture.inputHeight();
        inWidth[0] = architecture.inputWidth();
        for (int b = 0; b <= blocks; b++) {
            inChannels[b] = b == 0 ? architecture.inputChannels() : outChannels[b - 1];
            if (b > 0) {
                inHeight[b] = convHeight(b - 1) / 2;
                inWidth[b] = convWidth(b - 1) / 2;
            }
        }
        this.denseWidths = architecture.denseWidths();
    }

    @Override
    public ConvArchitecture architecture() {
        return architecture;
    }

    private int convHeight(int b) {
        return inHeight[b] - kernel + 1;
    }

    private int convWidth(int b) {
        return inWidth[b] - kernel + 1;
    }

    /** Pixels per channel of block b's convolution output. */
    private int convPixels(int b) {
        return convHeight(b) * convWidth(b);
    }

    /** Values per example of block b's input (b = blocks: the last block's pooled output). */
    private int inputValues(int b) {
        return inChannels[b] * inHeight[b] * inWidth[b];
    }

    /** Rows of block b's columns: its input channels times the kernel's area. */
    private int patch(int b) {
        return inChannels[b] * kernel * kernel;
    }

    private FloatArray weight(FloatArray params, int b) {
        return params.slice(spec.offset(2 * b), (long) outChannels[b] * patch(b));
    }

    private FloatArray bias(FloatArray params, int b) {
        return params.slice(spec.offset(2 * b + 1), outChannels[b]);
    }

    @Override
    BatchBuffers buffers(Backend backend, int capacity, boolean training) {
        return new Buffers(backend, capacity, training);
    }

    @Override
    int evaluationChunk() {
        return EVAL_CHUNK;
    }

    @Override
    int classes() {
        return denseWidths[denseWidths.length - 1];
    }

    @Override
    void checkData(Dataset data) {
        BatchBuffers.checkData(data, inputValues(0), inChannels[0] + " x " + inHeight[0] + " x " + inWidth[0] + " = "
                + inputValues(0), classes());
    }

    /**
     * The buffers of batches of up to {@code capacity} examples. Per block b: {@code inputs[b]} (its input, CNHW;
     * inputs[blocks] is the last pooled output), {@code columns[b]} and {@code outputs[b]} (the convolution output
     * after ReLU, CNHW); for training also the gradients of the outputs and of the inputs of blocks 1 and up, one
     * columns-sized gradient buffer, and the example-major flat gradient.
     */
    private final class Buffers implements BatchBuffers {
        private final Backend backend;
        private final int capacity;
        private final FloatArray images;        // the staged batch, example-major (NCHW)
        private final FloatArray[] inputs;
        private final FloatArray[] columns;
        private final FloatArray[] outputs;
        private final FloatArray[] outputGradients;
        private final FloatArray[] inputGradients;
        private final FloatArray columnGradient;
        private final FloatArray flatGradient;
        private final FloatArray ones;
        private final DenseLayers head;
        private final float[] staging;
        /** Ghost clipping's per-example weight gradient of one block; the naive path's per-example gradients. */
        private FloatArray exampleBlock;
        private FloatArray perExample;

        Buffers(Backend backend, int capacity, boolean training) {
            this.backend = backend;
            this.capacity = capacity;
            this.images = backend.allocate((long) capacity * inputValues(0));
            this.inputs = new FloatArray[blocks + 1];
            this.columns = new FloatArray[blocks];
            this.outputs = new FloatArray[blocks];
            this.outputGradients = new FloatArray[blocks];
            this.inputGradients = new FloatArray[blocks + 1];
            long widestColumns = 0;
            long widestPixels = 0;
            for (int b = 0; b <= blocks; b++) {
                // Block 0's input is the staged batch itself when it has one channel (CNHW and NCHW agree then).
                inputs[b] = b == 0 && inChannels[0] == 1 ? images : backend.allocate((long) capacity * inputValues(b));
                inputGradients[b] = training && b > 0 ? backend.allocate((long) capacity * inputValues(b)) : null;
                if (b < blocks) {
                    long pixels = (long) capacity * convPixels(b);
                    columns[b] = backend.allocate(patch(b) * pixels);
                    outputs[b] = backend.allocate(outChannels[b] * pixels);
                    outputGradients[b] = training ? backend.allocate(outChannels[b] * pixels) : null;
                    widestColumns = Math.max(widestColumns, patch(b) * pixels);
                    widestPixels = Math.max(widestPixels, pixels);
                }
            }
            this.columnGradient = training && blocks > 1 ? backend.allocate(widestColumns) : null;
            this.flatGradient = training ? backend.allocate((long) capacity * denseWidths[0]) : null;
            this.ones = backend.allocate(widestPixels);
            backend.fill(ones, 1f);
            this.head = new DenseLayers(backend, spec, 2 * blocks, denseWidths, capacity, training);
            this.staging = training ? new float[capacity * inputValues(0)] : null;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int[] loadRange(Dataset data, int from, int rows) {
            return BatchBuffers.stageRange(data, from, rows, images);
        }

        @Override
        public int[] load(Dataset data, int[] rows) {
            return BatchBuffers.stageRows(data, rows, staging, images);
        }

        /** The first {@code count} values of {@code array}: the part a batch smaller than the capacity uses. */
        private FloatArray part(FloatArray array, long count) {
            return array.slice(0, count);
        }

        @Override
        public FloatArray forward(FloatArray params, int batch) {
            features(params, batch);
            return head.forward(params, batch);
        }

        /** The conv blocks on the staged batch, flattened one row per example into the head's input. */
        private void features(FloatArray params, int batch) {
            if (inChannels[0] > 1) {
                backend.swapAxes(batch, inChannels[0], inHeight[0] * inWidth[0],
                        part(images, (long) batch * inputValues(0)), part(inputs[0], (long) batch * inputValues(0)));
            }
            for (int b = 0; b < blocks; b++) {
                int pixels = batch * convPixels(b);
                FloatArray cols = part(columns[b], (long) patch(b) * pixels);
                FloatArray out = part(outputs[b], (long) outChannels[b] * pixels);
                backend.im2col(inChannels[b], batch, inHeight[b], inWidth[b], kernel,
                        part(inputs[b], (long) batch * inputValues(b)), cols);
                backend.gemm(Transpose.NO, Transpose.NO, outChannels[b], pixels, patch(b),
                        1f, weight(params, b), patch(b), cols, pixels, 0f, out, pixels);
                backend.gemm(Transpose.NO, Transpose.NO, outChannels[b], pixels, 1,
                        1f, bias(params, b), 1, ones, pixels, 1f, out, pixels);
                backend.relu(out);
                backend.maxPool(outChannels[b] * batch, convHeight(b), convWidth(b), out,
                        part(inputs[b + 1], (long) batch * inputValues(b + 1)));
            }
            int last = inHeight[blocks] * inWidth[blocks];
            backend.swapAxes(inChannels[blocks], batch, last, part(inputs[blocks], (long) batch * inputValues(blocks)),
                    part(head.input(), (long) batch * denseWidths[0]));
        }

        /**
         * Forward, then the output gradients of every layer: the head's, then each block's (after its pooling and
         * ReLU), for {@code scale} times each example's loss. Returns the summed loss.
         */
        private double backpropagate(FloatArray params, int batch, int[] labels, float scale) {
            features(params, batch);
            double loss = head.backpropagate(params, batch, labels, scale);
            FloatArray flat = part(flatGradient, (long) batch * denseWidths[0]);
            head.inputGradient(params, batch, flat);
            int last = inHeight[blocks] * inWidth[blocks];
            backend.swapAxes(batch, inChannels[blocks], last, flat,
                    part(inputGradients[blocks], (long) batch * inputValues(blocks)));
            for (int b = blocks - 1; b >= 0; b--) {
                int pixels = batch * convPixels(b);
                FloatArray out = part(outputs[b], (long) outChannels[b] * pixels);
                FloatArray gradient = part(outputGradients[b], (long) outChannels[b] * pixels);
                backend.maxPoolBackward(outChannels[b] * batch, convHeight(b), convWidth(b), out,
                        part(inputGradients[b + 1], (long) batch * inputValues(b + 1)), gradient);
                backend.reluBackward(out, gradient);
                if (b > 0) {
                    FloatArray cols = part(columnGradient, (long) patch(b) * pixels);
                    backend.gemm(Transpose.YES, Transpose.NO, patch(b), pixels, outChannels[b],
                            1f, weight(params, b), patch(b), gradient, pixels, 0f, cols, pixels);
                    backend.col2im(inChannels[b], batch, inHeight[b], inWidth[b], kernel, cols,
                            part(inputGradients[b], (long) batch * inputValues(b)));
                }
            }
            return loss;
        }

        /** The batch's summed parameter gradient from the current output gradients. */
        private void weightGradients(FloatArray params, int batch, FloatArray grad) {
            for (int b = 0; b < blocks; b++) {
                int pixels = batch * convPixels(b);
                FloatArray gradient = part(outputGradients[b], (long) outChannels[b] * pixels);
                backend.gemm(Transpose.NO, Transpose.YES, outChannels[b], patch(b), pixels,
                        1f, gradient, pixels, part(columns[b], (long) patch(b) * pixels), pixels, 0f,
                        weight(grad, b), patch(b));
                backend.gemv(Transpose.NO, outChannels[b], pixels, 1f, gradient, pixels, part(ones, pixels), 0f,
                        bias(grad, b));
            }
            head.weightGradients(batch, grad);
        }

        @Override
        public double lossAndGradient(FloatArray params, int batch, int[] labels, FloatArray grad) {
            double loss = backpropagate(params, batch, labels, 1f / batch);
            weightGradients(params, batch, grad);
            return loss / batch;
        }

        @Override
        public double clippedSum(FloatArray params, int batch, int[] labels, double clip, PerExampleClipping mode,
                                 FloatArray sumOut) {
            double loss = backpropagate(params, batch, labels, 1f);
            return switch (mode) {
                case NAIVE -> naiveClippedSum(params, batch, clip, sumOut, loss);
                case GHOST -> ghostClippedSum(params, batch, clip, sumOut, loss);
            };
        }

        /**
         * Example i's weight and bias gradients of block b into {@code weightOut} and {@code biasOut}: its columns of
         * the block's output gradient (out x pixels, a stride of the batch's pixels) times its columns transposed.
         */
        private void exampleBlockGradient(int b, int batch, int i, FloatArray weightOut, FloatArray biasOut) {
            int pixels = convPixels(b);
            int stride = batch * pixels;
            long span = (long) (outChannels[b] - 1) * stride + pixels;
            FloatArray gradient = outputGradients[b].slice((long) i * pixels, span);
            FloatArray cols = columns[b].slice((long) i * pixels, (long) (patch(b) - 1) * stride + pixels);
            backend.gemm(Transpose.NO, Transpose.YES, outChannels[b], patch(b), pixels,
                    1f, gradient, stride, cols, stride, 0f, weightOut, patch(b));
            backend.gemv(Transpose.NO, outChannels[b], pixels, 1f, gradient, stride, part(ones, pixels), 0f, biasOut);
        }

        /** Ghost clipping ({@link PerExampleClipping#GHOST}) after {@link #backpropagate}; returns the loss. */
        private double ghostClippedSum(FloatArray params, int batch, double clip, FloatArray sumOut, double loss) {
            double[] squaredNorms = new double[batch];
            head.addGhostNorms(batch, squaredNorms);
            int widest = 0;
            for (int b = 0; b < blocks; b++) {
                widest = Math.max(widest, outChannels[b] * (patch(b) + 1));
            }
            if (exampleBlock == null) {
                exampleBlock = backend.allocate(widest);
            }
            for (int b = 0; b < blocks; b++) {
                int weights = outChannels[b] * patch(b);
                FloatArray w = exampleBlock.slice(0, weights);
                FloatArray bias = exampleBlock.slice(weights, outChannels[b]);
                for (int i = 0; i < batch; i++) {
                    exampleBlockGradient(b, batch, i, w, bias);
                    squaredNorms[i] += (double) backend.dot(w, w) + backend.dot(bias, bias);
                }
            }
            for (int i = 0; i < batch; i++) {
                float factor = BatchBuffers.clipFactor(Math.sqrt(squaredNorms[i]), clip);
                if (factor < 1f) {
                    head.scaleExample(i, factor);
                    scaleBlockGradients(batch, i, factor);
                }
            }
            weightGradients(params, batch, sumOut);
            return loss;
        }

        /** Scales example i's output gradients in every block (one run of its pixels per channel). */
        private void scaleBlockGradients(int batch, int i, float factor) {
            for (int b = 0; b < blocks; b++) {
                int pixels = convPixels(b);
                for (int c = 0; c < outChannels[b]; c++) {
                    backend.scal(factor, outputGradients[b].slice(((long) c * batch + i) * pixels, pixels));
                }
            }
        }

        /** The naive path ({@link PerExampleClipping#NAIVE}) after {@link #backpropagate}; returns the loss. */
        private double naiveClippedSum(FloatArray params, int batch, double clip, FloatArray sumOut, double loss) {
            int count = spec.parameterCount();
            if (perExample == null) {
                perExample = backend.allocate((long) capacity * count);
            }
            for (int i = 0; i < batch; i++) {
                FloatArray gradient = perExample.slice((long) i * count, count);
                for (int b = 0; b < blocks; b++) {
                    exampleBlockGradient(b, batch, i, weight(gradient, b), bias(gradient, b));
                }
                head.exampleGradient(i, gradient);
            }
            backend.fill(sumOut, 0f);
            for (int i = 0; i < batch; i++) {
                FloatArray gradient = perExample.slice((long) i * count, count);
                backend.axpy(BatchBuffers.clipFactor(backend.nrm2(gradient), clip), gradient, sumOut);
            }
            return loss;
        }

        @Override
        public void close() {
            for (FloatArray[] arrays : new FloatArray[][] {inputs, columns, outputs, outputGradients,
                inputGradients}) {
                for (FloatArray a : arrays) {
                    if (a != null && a != images) {
                        a.close();
                    }
                }
            }
            for (FloatArray a : new FloatArray[] {images, columnGradient, flatGradient, ones, exampleBlock,
                perExample}) {
                if (a != null) {
                    a.close();
                }
            }
            head.close();
        }
    }
}
