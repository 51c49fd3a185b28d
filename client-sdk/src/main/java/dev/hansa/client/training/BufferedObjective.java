package dev.hansa.client.training;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;
import java.util.function.IntFunction;

/** The gradient oracle of a built-in network over one client's data; grows its buffers to the largest batch seen. */
final class BufferedObjective implements PerExampleObjective {

    private final ModelSpec spec;
    private final Dataset data;
    private final Backend backend;
    private final IntFunction<BatchBuffers> training;
    private BatchBuffers buffers;

    /** @param training training buffers for a capacity */
    BufferedObjective(ModelSpec spec, Dataset data, Backend backend, IntFunction<BatchBuffers> training) {
        this.spec = spec;
        this.data = data;
        this.backend = backend;
        this.training = training;
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
        return buffers.lossAndGradient(params, batch.length, labels, gradOut);
    }

    @Override
    public double clippedGradientSum(FloatArray params, int[] batch, double clip, PerExampleClipping mode,
                                     FloatArray sumOut) {
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip must be finite and > 0, got " + clip);
        }
        int[] labels = load(params, batch, sumOut);
        return buffers.clippedSum(params, batch.length, labels, clip, mode, sumOut) / batch.length;
    }

    /** Checks the arguments, grows the buffers to the batch and stages it; returns its labels. */
    private int[] load(FloatArray params, int[] batch, FloatArray out) {
        if (batch.length == 0) {
            throw new IllegalArgumentException("batch must not be empty");
        }
        if (params.length() != spec.parameterCount() || out.length() != spec.parameterCount()) {
            throw new IllegalArgumentException("params and the gradient must hold " + spec.parameterCount()
                    + " floats");
        }
        if (buffers == null || buffers.capacity() < batch.length) {
            if (buffers != null) {
                buffers.close();
            }
            buffers = training.apply(batch.length);
        }
        return buffers.load(data, batch);
    }
}
