package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.StrategyState;

/**
 * FedAdagrad (Reddi et al., ICLR 2021): as {@link FedAdam} but {@code v = v + D^2}. State: tensors {@code m} and
 * {@code v}. Flower's defaults: eta 0.1, b1 0 (so m = D), tau 1e-3.
 */
public final class FedAdagrad implements ServerOptimizer {

    private final AdaptiveServerStep step;

    public FedAdagrad(double learningRate, double beta1, double tau) {
        this.step = new AdaptiveServerStep(learningRate, beta1, tau, (v, d2) -> v + d2);
    }

    @Override
    public StrategyState initialState(ModelWeights model) {
        return step.initialState(model);
    }

    @Override
    public Step step(ModelWeights model, double[] meanDelta, StrategyState state) {
        return step.step(model, meanDelta, state);
    }
}
