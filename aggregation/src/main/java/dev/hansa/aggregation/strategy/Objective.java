package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.compute.Backend;
import dev.hansa.compute.FloatArray;

/**
 * A model's loss over one client's local data, with its gradient: what the built-in client optimizers (FedAvg's SGD,
 * FedProx, FedSpeed's perturbed step, FedAMD's variance-reduced steps) minimise. Parameters and gradients are flat
 * vectors in {@link #spec()} order on {@link #backend()}, so they can stay on a GPU.
 */
public interface Objective {

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
