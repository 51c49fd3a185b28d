package dev.hansa.aggregation.strategy.fedopt;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;

/**
 * The server step of the FedOpt family (Reddi et al., ICLR 2021, Algorithm 1): maps the round's mean model delta
 * (x_local - x_global convention, so it points downhill) and the optimizer state to the next model and state.
 * Pure: inputs are read-only, everything persistent is in the returned state.
 */
public interface ServerOptimizer {

    /** Optimizer state for a federation starting from {@code model}. */
    State initialState(Tensors model);

    /** Applies one step with the mean delta {@code meanDelta} (length = parameter count). */
    Step step(Tensors model, double[] meanDelta, State state);

    /** The next model and optimizer state. */
    record Step(Tensors model, State state) {
    }
}
