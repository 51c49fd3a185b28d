package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.StrategyState;

/**
 * The server step of the FedOpt family (Reddi et al., ICLR 2021, Algorithm 1): maps the round's mean model delta
 * (x_local - x_global convention, so it points downhill) and the optimizer state to the next model and state.
 * Pure: inputs are read-only, everything persistent is in the returned state.
 */
public interface ServerOptimizer {

    /** Optimizer state for a federation starting from {@code model}. */
    StrategyState initialState(ModelWeights model);

    /** Applies one step with the mean delta {@code meanDelta} (length = parameter count). */
    Step step(ModelWeights model, double[] meanDelta, StrategyState state);

    /** The next model and optimizer state. */
    record Step(ModelWeights model, StrategyState state) {
    }
}
