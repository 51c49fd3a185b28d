package dev.hansa.aggregation.strategy.fedopt;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.Tensors;

/** FedAvg's server step: {@code x <- x + eta_g * meanDelta}; eta_g = 1 is plain model averaging. Stateless. */
public final class ServerSgd implements ServerOptimizer {

    private final double learningRate;

    public ServerSgd(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("serverLearningRate must be finite and > 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public State initialState(Tensors model) {
        return State.EMPTY;
    }

    @Override
    public Step step(Tensors model, double[] meanDelta, State state) {
        float[] x = model.values();
        float[] next = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            next[i] = (float) (x[i] + learningRate * meanDelta[i]);
        }
        return new Step(new Tensors(model.spec(), next), state);
    }
}
