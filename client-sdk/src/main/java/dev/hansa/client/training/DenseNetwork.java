package dev.hansa.client.training;

import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;

/**
 * The forward and backward passes of a {@link DenseArchitecture} (softmax regression and the MLP): ReLU between
 * layers, softmax cross-entropy on top, every vector operation on the given {@link Backend}.
 */
public final class DenseNetwork extends BufferedNetwork {

    private final DenseArchitecture architecture;
    private final int[] widths;
    private final ModelSpec spec;
    /** Test samples per forward pass of {@link #evaluate}: large enough for efficient products, small in memory. */
    private static final int EVAL_CHUNK = 1000;

    DenseNetwork(DenseArchitecture architecture) {
        this.architecture = architecture;
        this.widths = architecture.widths();
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
    BatchBuffers buffers(Backend backend, int capacity, boolean training) {
        return new Buffers(backend, capacity, training);
    }

    @Override
    int evaluationChunk() {
        return EVAL_CHUNK;
    }

    @Override
    int classes() {
        return widths[widths.length - 1];
    }

    @Override
    void checkData(Dataset data) {
        BatchBuffers.checkData(data, widths[0], Integer.toString(widths[0]), classes());
    }

    /**
     * The layers' buffers for batches of up to {@code capacity} rows; with {@code training}, also a host staging area
     * for gathering minibatch rows.
     */
    private final class Buffers implements BatchBuffers {
        private final Backend backend;
        private final int capacity;
        private final DenseLayers layers;
        private final float[] staging;
        /** The naive path's per-example gradients, capacity x parameters; allocated on its first use. */
        private FloatArray perExample;

        Buffers(Backend backend, int capacity, boolean training) {
            this.backend = backend;
            this.capacity = capacity;
            this.layers = new DenseLayers(backend, spec, 0, widths, capacity, training);
            this.staging = training ? new float[capacity * widths[0]] : null;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int[] loadRange(Dataset data, int from, int rows) {
            return BatchBuffers.stageRange(data, from, rows, layers.input());
        }

        @Override
        public int[] load(Dataset data, int[] rows) {
            return BatchBuffers.stageRows(data, rows, staging, layers.input());
        }

        @Override
        public FloatArray forward(FloatArray params, int batch) {
            return layers.forward(params, batch);
        }

        @Override
        public double lossAndGradient(FloatArray params, int batch, int[] labels, FloatArray grad) {
            double loss = layers.backpropagate(params, batch, labels, 1f / batch);
            layers.weightGradients(batch, grad);
            return loss / batch;
        }

        @Override
        public double clippedSum(FloatArray params, int batch, int[] labels, double clip, PerExampleClipping mode,
                                 FloatArray sumOut) {
            return switch (mode) {
                case NAIVE -> naiveClippedSum(params, batch, labels, clip, sumOut);
                case GHOST -> ghostClippedSum(params, batch, labels, clip, sumOut);
            };
        }

        /** Ghost clipping ({@link PerExampleClipping#GHOST}); returns the summed loss. */
        private double ghostClippedSum(FloatArray params, int batch, int[] labels, double clip, FloatArray sumOut) {
            double loss = layers.backpropagate(params, batch, labels, 1f);
            double[] squaredNorms = new double[batch];
            layers.addGhostNorms(batch, squaredNorms);
            for (int i = 0; i < batch; i++) {
                float factor = BatchBuffers.clipFactor(Math.sqrt(squaredNorms[i]), clip);
                if (factor < 1f) {
                    layers.scaleExample(i, factor);
                }
            }
            layers.weightGradients(batch, sumOut);
            return loss;
        }

        /** The naive path ({@link PerExampleClipping#NAIVE}); returns the summed loss. */
        private double naiveClippedSum(FloatArray params, int batch, int[] labels, double clip, FloatArray sumOut) {
            double loss = layers.backpropagate(params, batch, labels, 1f);
            int count = spec.parameterCount();
            if (perExample == null) {
                perExample = backend.allocate((long) capacity * count);
            }
            for (int i = 0; i < batch; i++) {
                layers.exampleGradient(i, perExample.slice((long) i * count, count));
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
            layers.close();
            if (perExample != null) {
                perExample.close();
            }
        }
    }
}
