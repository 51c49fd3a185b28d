package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.StrategyState;

/**
 * FedAdam (Reddi et al., "Adaptive Federated Optimization", ICLR 2021): {@code m = b1 m + (1-b1) D;
 * v = b2 v + (1-b2) D^2;  x = x + eta m / (sqrt(v) + tau)}, no bias correction, m_0 = 0, v_0 = tau^2.
 * State: tensors {@code m} and {@code v}. Flower's defaults: eta 0.1, b1 0.9, b2 0.99, tau 1e-3.
 */
public final class FedAdam implements ServerOptimizer {

    private final AdaptiveServerStep step;

    public FedAdam(double learningRate, double beta1, double beta2, double tau) {
        AdaptiveServerStep.checkBeta2(beta2);
        this.step = new AdaptiveServerStep(learningRate, beta1, tau, (v, d2) -> beta2 * v + (1 - beta2) * d2);
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
