package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.StrategyState;
import java.util.Arrays;

/** Reading per-parameter vectors out of a {@link StrategyState}, checked against the model. */
final class StateTensors {

    private StateTensors() {
    }

    /** The tensor {@code key} of {@code state}, required to have {@code model}'s spec. */
    static float[] require(StrategyState state, String key, ModelWeights model) {
        ModelWeights w = state.tensor(key).orElseThrow(() -> new IllegalArgumentException(
                "strategy state lacks tensor '" + key + "'; was it created by this strategy's initialState?"));
        if (!w.spec().equals(model.spec())) {
            throw new IllegalArgumentException("strategy state tensor '" + key + "' has spec " + w.spec()
                    + ", the model has " + model.spec());
        }
        return w.values();
    }

    /** Weights of {@code model}'s spec filled with {@code value}. */
    static ModelWeights filled(ModelWeights model, float value) {
        float[] v = new float[model.values().length];
        Arrays.fill(v, value);
        return new ModelWeights(model.spec(), v);
    }
}
