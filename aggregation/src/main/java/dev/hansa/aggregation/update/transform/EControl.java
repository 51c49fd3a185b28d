package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.Map;

/**
 * The client half of EControl (Gao, Islamov, Stich, "EControl: Fast Distributed Optimization with Compression and
 * Error Control", ICLR 2024; ALGORITHMS.md §5.4): the client keeps an error {@code e_i} and an estimate {@code h_i}
 * (the server holds their mean h), sends {@code Delta = C(eta e_i + u - h_i)} and moves
 * {@code e_i <- e_i + u - h_i - Delta}, {@code h_i <- h_i + Delta}; the server half ({@code EstimateAccumulation})
 * keeps {@code h <- h + mean Delta} and steps with h. eta (feedback strength,
 * {@code update.errorFeedbackParams.strength}) scales how much of the accumulated error is fed back; eta = 0 is EF21. State: {@value #ERROR} and {@value #ESTIMATE},
 * zero at first (h_i^0 = 0 instead of an uncompressed first gradient).
 */
public final class EControl implements UpdateTransform {

    public static final String ERROR = "error";
    public static final String ESTIMATE = "estimate";

    private final UpdateCodec codec;
    private final double strength;

    public EControl(UpdateCodec codec, double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("update.errorFeedbackParams.strength must be in [0, 1], got "
                    + strength);
        }
        this.codec = ErrorFeedbackRules.lossy(codec);
        this.strength = strength;
    }

    @Override
    public String name() {
        return "econtrol";
    }

    @Override
    public State init(ModelSpec spec) {
        return new State(Map.of(ERROR, Tensors.zeros(spec), ESTIMATE, Tensors.zeros(spec)), Map.of());
    }

    @Override
    public Step apply(Tensors update, State state, long seed) {
        int d = update.values().length;
        float[] e = state.tensor(ERROR).isPresent() ? state.require(ERROR, update.spec()) : new float[d];
        float[] h = state.tensor(ESTIMATE).isPresent() ? state.require(ESTIMATE, update.spec()) : new float[d];
        float[] u = update.values();
        float[] corrected = new float[d];
        for (int i = 0; i < d; i++) {
            corrected[i] = (float) (strength * e[i] + u[i] - h[i]);
        }
        Tensors message = new Tensors(update.spec(), corrected);
        float[] sent = codec.forParticipant(seed).reconstruct(message).values();
        float[] error = new float[d];
        float[] estimate = new float[d];
        for (int i = 0; i < d; i++) {
            error[i] = (float) ((double) e[i] + u[i] - h[i] - sent[i]);
            estimate[i] = h[i] + sent[i];
        }
        return new Step(message, new State(Map.of(ERROR, new Tensors(update.spec(), error),
                ESTIMATE, new Tensors(update.spec(), estimate)), Map.of()));
    }
}
