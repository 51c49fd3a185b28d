package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;

/**
 * A differentiable model bound to one client's local data: what the built-in local procedures (FedAvg's SGD,
 * FedProx, FedSpeed's perturbed step, FedAMD's variance-reduced steps) need from a trainer. Parameters and
 * gradients are flat vectors in {@link #spec()} order on {@link #backend()}, so they can stay on a GPU.
 */
public interface GradientModel {

    ModelSpec spec();

    Backend backend();

    /** Number of local training samples (the FedAvg weight). */
    int numSamples();

    /**
     * Mean loss over the samples {@code batch} (indices into the local data) at {@code params}; writes the gradient
     * of that mean loss into {@code gradOut}. Both vectors have {@code spec().parameterCount()} floats.
     */
    double lossAndGradient(FloatArray params, int[] batch, FloatArray gradOut);
}
