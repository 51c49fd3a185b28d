package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Map;

/**
 * Error feedback for a lossy codec (Seide et al. 2014; Karimireddy et al., "Error Feedback Fixes SignSGD", ICML
 * 2019): the client sends {@code c = u + e} and keeps what the codec loses, {@code e' = c - C(c)}, where C is what
 * the server decodes ({@link UpdateCodec#reconstruct}). Over rounds nothing is lost, only delayed. State: the residual
 * {@value #RESIDUAL}, zero at first.
 */
public final class ErrorFeedback implements UpdateTransform {

    public static final String RESIDUAL = "residual";

    private final UpdateCodec codec;

    public ErrorFeedback(UpdateCodec codec) {
        if (codec.lossless()) {
            throw new IllegalArgumentException("update.errorFeedback needs a lossy codec; " + codec.name() + " is lossless");
        }
        this.codec = codec;
    }

    @Override
    public String name() {
        return "errorFeedback";
    }

    @Override
    public State init(ModelSpec spec) {
        return new State(Map.of(RESIDUAL, Tensors.zeros(spec)), Map.of());
    }

    @Override
    public Step apply(Tensors update, State state, long seed) {
        float[] residual = state.tensor(RESIDUAL).isPresent() ? state.require(RESIDUAL, update.spec())
                : new float[update.values().length];
        float[] u = update.values();
        float[] corrected = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            corrected[i] = u[i] + residual[i];
        }
        float[] sent = codec.forParticipant(seed).reconstruct(new Tensors(update.spec(), corrected)).values();
        float[] next = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            next[i] = corrected[i] - sent[i];
        }
        return new Step(new Tensors(update.spec(), corrected),
                new State(Map.of(RESIDUAL, new Tensors(update.spec(), next)), Map.of()));
    }
}
