package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.StrategyState;

/**
 * FedYogi (Reddi et al., ICLR 2021): as {@link FedAdam} but {@code v = v - (1-b2) D^2 sign(v - D^2)}, which lets v
 * grow quickly and shrink slowly. State: tensors {@code m} and {@code v}. Flower's defaults: eta 0.01, b1 0.9,
 * b2 0.99, tau 1e-3.
 */
public final class FedYogi implements ServerOptimizer {

    private final AdaptiveServerStep step;

    public FedYogi(double learningRate, double beta1, double beta2, double tau) {
        AdaptiveServerStep.checkBeta2(beta2);
        this.step = new AdaptiveServerStep(learningRate, beta1, tau,
                (v, d2) -> v - (1 - beta2) * d2 * Math.signum(v - d2));
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
