package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Map;

/**
 * Error feedback for a lossy codec (Seide et al. 2014; Karimireddy et al., "Error Feedback Fixes SignSGD", ICML
 * 2019): the client sends {@code c = u + beta e} and keeps what the codec loses, {@code e' = c - C(c)}, where C is
 * what the server decodes ({@link UpdateCodec#reconstruct}). With {@code beta = 1} (rule {@code classic}) nothing is
 * lost over rounds, only delayed; with {@code beta < 1} (rule {@code decayed}, SparseLoCo's accumulator
 * {@code e <- beta e + delta}, Sarfi et al. 2025, beta = 0.95 in its published runs) old residuals fade. State: the
 * residual {@value #RESIDUAL}, zero at first.
 */
public final class ErrorFeedback implements UpdateTransform {

    public static final String RESIDUAL = "residual";

    private final UpdateCodec codec;
    private final double decay;

    /** Classic error feedback. */
    public ErrorFeedback(UpdateCodec codec) {
        this(codec, 1);
    }

    /** Error feedback whose residual is multiplied by {@code decay} in (0, 1] before it is added. */
    public ErrorFeedback(UpdateCodec codec, double decay) {
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("update.errorFeedbackParams.decay must be in (0, 1], got " + decay);
        }
        this.codec = ErrorFeedbackRules.lossy(codec);
        this.decay = decay;
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
            corrected[i] = decay == 1 ? u[i] + residual[i] : (float) (u[i] + decay * residual[i]);
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
