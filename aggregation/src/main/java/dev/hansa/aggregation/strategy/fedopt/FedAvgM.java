package dev.hansa.aggregation.strategy.fedopt;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;

/**
 * Server momentum, FedAvgM (Hsu, Qi, Brown 2019, "Measuring the Effects of Non-Identical Data Distribution"):
 * {@code v <- beta v + D;  x <- x + eta_g v}, with D the mean model delta and v starting at 0. With Nesterov's
 * look-ahead (PyTorch's {@code SGD(nesterov=True)}, DiLoCo's outer optimizer, Douillard et al. 2023) the step is
 * {@code x <- x + eta_g (D + beta v)} with the new v. PyTorch starts its buffer at the first gradient, which is
 * {@code beta 0 + D}: the same. State: tensor {@value #VELOCITY}.
 */
public final class FedAvgM implements ServerOptimizer {

    public static final String VELOCITY = "velocity";

    private final double learningRate;
    private final double momentum;
    private final boolean nesterov;

    /** Heavy-ball server momentum (FedAvgM). */
    public FedAvgM(double learningRate, double momentum) {
        this(learningRate, momentum, false);
    }

    /**
     * @param learningRate eta_g > 0
     * @param momentum     beta in [0, 1)
     * @param nesterov     step along {@code D + beta v} instead of {@code v}
     */
    public FedAvgM(double learningRate, double momentum, boolean nesterov) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("serverLearningRate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("serverMomentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public State initialState(Tensors model) {
        return new State(Map.of(VELOCITY, Tensors.filled(model.spec(), 0f)), Map.of());
    }

    @Override
    public Step step(Tensors model, double[] meanDelta, State state) {
        float[] v = state.require(VELOCITY, model.spec());
        float[] x = model.values();
        float[] nextV = new float[v.length];
        float[] nextX = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double vi = momentum * v[i] + meanDelta[i];
            nextV[i] = (float) vi;
            nextX[i] = (float) (x[i] + learningRate * (nesterov ? meanDelta[i] + momentum * vi : vi));
        }
        return new Step(new Tensors(model.spec(), nextX),
                new State(Map.of(VELOCITY, new Tensors(model.spec(), nextV)), state.scalars()));
    }
}
