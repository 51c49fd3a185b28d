package dev.hansa.aggregation.update;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.lgreco.LGreCoReport;
import dev.hansa.aggregation.update.transform.ClipToNorm;
import dev.hansa.aggregation.update.transform.ErrorFeedbackRules;
import dev.hansa.aggregation.update.transform.UpdateTransform;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The client side of the update path, from the trainer's output to the uploaded bytes: a chain of
 * {@link UpdateTransform}s (clip, error feedback; later noise and masking) and then the codec. The chain's state is
 * one {@link State} whose entries each transform owns under its name ({@code errorFeedback.residual}), the way Optax
 * chains name their parts; names must be unique. {@code HansaClient} and the in-process round driver run the same
 * chain, so a simulation sends exactly what a real client would.
 */
public final class UpdatePipeline {

    private final List<UpdateTransform> transforms;
    private final UpdateCodec codec;

    public UpdatePipeline(List<UpdateTransform> transforms, UpdateCodec codec) {
        Set<String> names = new HashSet<>();
        for (UpdateTransform t : transforms) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two update transforms are named '" + t.name() + "'");
            }
        }
        this.transforms = List.copyOf(transforms);
        this.codec = codec;
    }

    /**
     * The pipeline a plan's {@link UpdateSpec} describes: clip (if set), error feedback by its rule, L-GreCo's error
     * report (with {@code update.lgreco}), codec.
     */
    public static UpdatePipeline of(UpdateSpec spec) {
        UpdateCodec codec = spec.createCodec();
        List<UpdateTransform> chain = new ArrayList<>();
        if (spec.clipNorm() > 0) {
            chain.add(new ClipToNorm(spec.clipNorm()));
        }
        if (spec.errorFeedback()) {
            chain.add(ErrorFeedbackRules.create(spec.errorFeedbackRule(), spec.errorFeedbackParams(), codec));
        }
        if (spec.lgreco() != null) {
            chain.add(new LGreCoReport(spec.lgrecoKnob()));
        }
        return new UpdatePipeline(chain, codec);
    }

    /** The codec, not yet bound to a participant: for sizes; encode with {@link #codec(long)}. */
    public UpdateCodec codec() {
        return codec;
    }

    /** The codec for the participant whose plan seed is {@code seed} ({@link UpdateCodec#forParticipant}). */
    public UpdateCodec codec(long seed) {
        return codec.forParticipant(seed);
    }

    /** The chain's state before the first round. */
    public State init(ModelSpec spec) {
        State state = State.EMPTY;
        for (UpdateTransform t : transforms) {
            state = state.plus(t.init(spec).withPrefix(t.name() + "."));
        }
        return state;
    }

    /**
     * Runs the transforms over {@code update}.
     *
     * @param state the chain's state; {@link State#EMPTY} means "before the first round" (each transform then
     *              starts from its {@code init})
     */
    public Prepared prepare(Tensors update, State state, long seed) {
        Tensors current = update;
        State next = State.EMPTY;
        Map<String, Double> metrics = new TreeMap<>();
        for (UpdateTransform t : transforms) {
            State own = state.part(t.name() + ".");
            UpdateTransform.Step step = t.apply(current, own.equals(State.EMPTY) ? t.init(update.spec()) : own, seed);
            current = step.update();
            next = next.plus(step.state().withPrefix(t.name() + "."));
            metrics.putAll(step.metrics());
        }
        return new Prepared(current, next, metrics);
    }

    /**
     * What the codec will encode, the chain's state once the server has counted it, and what the transforms
     * report (sent with the training metrics; {@link #withMetrics} merges them).
     */
    public record Prepared(Tensors update, State state, Map<String, Double> metrics) {

        public Prepared {
            metrics = Map.copyOf(metrics);
        }

        /** {@code trainMetrics} with the transforms' reports added (a report wins over a metric of the same name). */
        public Map<String, Double> withMetrics(Map<String, Double> trainMetrics) {
            Map<String, Double> all = new TreeMap<>(trainMetrics);
            all.putAll(metrics);
            return all;
        }
    }
}
