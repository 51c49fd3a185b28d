package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Map;

/**
 * The client half of EF21 (Richtárik, Sokolov, Fatkhullin, "EF21: A New, Simpler, Theoretically Better, and
 * Practically Faster Error Feedback", NeurIPS 2021; ALGORITHMS.md §5.3): the client keeps {@code g_i}, the estimate
 * of its update that the server also holds, sends {@code c = C(u - g_i)} and moves {@code g_i <- g_i + c}. The server
 * half ({@code EstimateAccumulation}) keeps {@code g = g + mean c} and steps with g, not with the messages. State:
 * {@value #ESTIMATE}, zero at first, so the first message is {@code C(u)} (the paper's {@code g_i^0 = C(grad f_i(x^0))}
 * initialisation, without an uncompressed first round).
 */
public final class Ef21 implements UpdateTransform {

    public static final String ESTIMATE = "estimate";

    private final UpdateCodec codec;

    public Ef21(UpdateCodec codec) {
        this.codec = ErrorFeedbackRules.lossy(codec);
    }

    @Override
    public String name() {
        return "ef21";
    }

    @Override
    public State init(ModelSpec spec) {
        return new State(Map.of(ESTIMATE, Tensors.zeros(spec)), Map.of());
    }

    @Override
    public Step apply(Tensors update, State state, long seed) {
        float[] g = state.tensor(ESTIMATE).isPresent() ? state.require(ESTIMATE, update.spec())
                : new float[update.values().length];
        float[] u = update.values();
        float[] difference = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            difference[i] = u[i] - g[i];
        }
        Tensors message = new Tensors(update.spec(), difference);
        float[] sent = codec.forParticipant(seed).reconstruct(message).values();
        float[] next = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            next[i] = g[i] + sent[i];
        }
        return new Step(message, new State(Map.of(ESTIMATE, new Tensors(update.spec(), next)), Map.of()));
    }
}
