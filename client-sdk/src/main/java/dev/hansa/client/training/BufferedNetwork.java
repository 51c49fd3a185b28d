package dev.hansa.client.training;

import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.compute.Backend;

/**
 * What the built-in networks share: training through a {@link BufferedObjective} and evaluation through the
 * {@link Evaluator}, both over the network's {@link BatchBuffers}, after the network has checked the data.
 */
abstract class BufferedNetwork implements TrainableModel {

    /** The network's buffers on {@code backend} for up to {@code capacity} examples, with the backward pass or not. */
    abstract BatchBuffers buffers(Backend backend, int capacity, boolean training);

    /** Refuses data the network cannot read (see {@link BatchBuffers#checkData}). */
    abstract void checkData(Dataset data);

    /** Examples per forward pass of {@link #evaluate}. */
    abstract int evaluationChunk();

    /** The number of classes the network outputs. */
    abstract int classes();

    @Override
    public final PerExampleObjective bind(Dataset trainData, Backend backend) {
        checkData(trainData);
        return new BufferedObjective(spec(), trainData, backend, capacity -> buffers(backend, capacity, true));
    }

    @Override
    public final Evaluation evaluate(Tensors weights, Dataset data, Backend backend) {
        checkData(data);
        return Evaluator.evaluate(this, weights, data, backend, evaluationChunk(), classes(),
                capacity -> buffers(backend, capacity, false));
    }
}
