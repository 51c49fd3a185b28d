package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;

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

    /** The transformed update and this transform's next state. */
    record Step(Tensors update, State state) {
    }
}
