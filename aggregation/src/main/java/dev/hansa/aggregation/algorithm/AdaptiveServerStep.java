package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.StrategyState;
import java.util.Map;

/**
 * The shared body of Reddi et al.'s adaptive server optimizers (FedAdagrad, FedAdam, FedYogi), without bias
 * correction: {@code m = beta1 m + (1 - beta1) D;  v = rule(v, D^2);  x = x + eta m / (sqrt(v) + tau)}, elementwise,
 * with m starting at 0 and v at tau^2. Only the second-moment rule differs between the three.
 */
final class AdaptiveServerStep {

    static final String FIRST_MOMENT = "m";
    static final String SECOND_MOMENT = "v";

    /** The second-moment update of one coordinate. */
    @FunctionalInterface
    interface SecondMomentRule {
        double next(double v, double deltaSquared);
    }

    private final double learningRate;
    private final double beta1;
    private final double tau;
    private final SecondMomentRule rule;

    AdaptiveServerStep(double learningRate, double beta1, double tau, SecondMomentRule rule) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("serverLearningRate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be finite and > 0, got " + tau);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.tau = tau;
        this.rule = rule;
    }

    static void checkBeta2(double beta2) {
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
    }

    StrategyState initialState(ModelWeights model) {
        return new StrategyState(Map.of(FIRST_MOMENT, StateTensors.filled(model, 0f),
                SECOND_MOMENT, StateTensors.filled(model, (float) (tau * tau))), Map.of());
    }

    ServerOptimizer.Step step(ModelWeights model, double[] meanDelta, StrategyState state) {
        float[] m = StateTensors.require(state, FIRST_MOMENT, model);
        float[] v = StateTensors.require(state, SECOND_MOMENT, model);
        float[] x = model.values();
        float[] nextM = new float[x.length];
        float[] nextV = new float[x.length];
        float[] nextX = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double d = meanDelta[i];
            double mi = beta1 * m[i] + (1 - beta1) * d;
            double vi = rule.next(v[i], d * d);
            nextM[i] = (float) mi;
            nextV[i] = (float) vi;
            nextX[i] = (float) (x[i] + learningRate * mi / (Math.sqrt(vi) + tau));
        }
        StrategyState next = new StrategyState(Map.of(FIRST_MOMENT, new ModelWeights(model.spec(), nextM),
                SECOND_MOMENT, new ModelWeights(model.spec(), nextV)), state.scalars());
        return new ServerOptimizer.Step(new ModelWeights(model.spec(), nextX), next);
    }
}
