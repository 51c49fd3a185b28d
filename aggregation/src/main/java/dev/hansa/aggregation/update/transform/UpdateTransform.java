package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Map;

/**
 * One step of the client's update pipeline, between the trainer's output and the codec: a pure function of the
 * update and the transform's own state, in the manner of Optax's gradient transformations. Whatever must persist
 * (error-feedback residuals, later noise or masking state) is in the returned {@link State}, which the SDK keeps
 * with the strategy state and commits only once the server counted the update.
 */
public interface UpdateTransform {

    /** Unique within a pipeline; namespaces this transform's state entries. */
    String name();

    /** The state before the first round. */
    State init(ModelSpec spec);

    /**
     * Transforms {@code update}; inputs are read-only.
     *
     * @param state this transform's state (from {@link #init} or the previous {@link Step})
     * @param seed  the participant's seed for the round, for transforms that draw randomness
     */
    Step apply(Tensors update, State state, long seed);

    /**
     * The transformed update, this transform's next state and what it reports to the server beside the training
     * metrics (sent in the update's metadata).
     */
    record Step(Tensors update, State state, Map<String, Double> metrics) {

        public Step {
            metrics = Map.copyOf(metrics);
        }

        /** A step that reports nothing. */
        public Step(Tensors update, State state) {
            this(update, state, Map.of());
        }
    }
}
