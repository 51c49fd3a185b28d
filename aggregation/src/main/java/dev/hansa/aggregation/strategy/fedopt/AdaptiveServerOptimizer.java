package dev.hansa.aggregation.strategy.fedopt;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;

/**
 * Reddi et al.'s adaptive server optimizers ("Adaptive Federated Optimization", ICLR 2021, Algorithm 2), without
 * bias correction: {@code m = beta1 m + (1 - beta1) D;  v = rule(v, D^2);  x = x + eta m / (sqrt(v) + tau)},
 * elementwise, with m starting at 0 and v at tau^2. The three differ only in the second-moment rule:
 * <ul>
 * <li>FedAdagrad: {@code v + D^2} (Flower's defaults: eta 0.1, b1 0, tau 1e-3)</li>
 * <li>FedAdam: {@code b2 v + (1 - b2) D^2} (eta 0.1, b1 0.9, b2 0.99, tau 1e-3)</li>
 * <li>FedYogi: {@code v - (1 - b2) D^2 sign(v - D^2)}, which lets v grow quickly and shrink slowly (eta 0.01)</li>
 * </ul>
 * State: tensors {@value #FIRST_MOMENT} and {@value #SECOND_MOMENT}.
 */
public final class AdaptiveServerOptimizer implements ServerOptimizer {

    public static final String FIRST_MOMENT = "m";
    public static final String SECOND_MOMENT = "v";

    /** The second-moment update of one coordinate. */
    @FunctionalInterface
    private interface SecondMomentRule {
        double next(double v, double deltaSquared);
    }

    private final double learningRate;
    private final double beta1;
    private final double tau;
    private final SecondMomentRule rule;

    private AdaptiveServerOptimizer(double learningRate, double beta1, double tau, SecondMomentRule rule) {
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

    public static AdaptiveServerOptimizer fedAdagrad(double learningRate, double beta1, double tau) {
        return new AdaptiveServerOptimizer(learningRate, beta1, tau, (v, d2) -> v + d2);
    }

    public static AdaptiveServerOptimizer fedAdam(double learningRate, double beta1, double beta2, double tau) {
        checkBeta2(beta2);
        return new AdaptiveServerOptimizer(learningRate, beta1, tau, (v, d2) -> beta2 * v + (1 - beta2) * d2);
    }

    public static AdaptiveServerOptimizer fedYogi(double learningRate, double beta1, double beta2, double tau) {
        checkBeta2(beta2);
        return new AdaptiveServerOptimizer(learningRate, beta1, tau,
                (v, d2) -> v - (1 - beta2) * d2 * Math.signum(v - d2));
    }

    private static void checkBeta2(double beta2) {
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
    }

    @Override
    public State initialState(Tensors model) {
        return new State(Map.of(FIRST_MOMENT, Tensors.filled(model.spec(), 0f),
                SECOND_MOMENT, Tensors.filled(model.spec(), (float) (tau * tau))), Map.of());
    }

    @Override
    public Step step(Tensors model, double[] meanDelta, State state) {
        float[] m = state.require(FIRST_MOMENT, model.spec());
        float[] v = state.require(SECOND_MOMENT, model.spec());
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
        State next = new State(Map.of(FIRST_MOMENT, new Tensors(model.spec(), nextM),
                SECOND_MOMENT, new Tensors(model.spec(), nextV)), state.scalars());
        return new Step(new Tensors(model.spec(), nextX), next);
    }
}
