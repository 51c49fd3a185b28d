package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.GradientModel;
import dev.hansa.aggregation.strategy.TrainingPlan;

/** Preconditions every built-in local procedure checks before training. */
final class LocalChecks {

    private LocalChecks() {
    }

    static void require(String procedure, GradientModel model, ModelWeights global, TrainingPlan plan) {
        if (!plan.strategy().equals(procedure)) {
            throw new IllegalArgumentException("plan.strategy is '" + plan.strategy() + "' but this procedure is '"
                    + procedure + "'");
        }
        if (!global.spec().equals(model.spec())) {
            throw new IllegalArgumentException("global model spec " + global.spec() + " differs from the trainer's "
                    + model.spec());
        }
        if (model.numSamples() < 1) {
            throw new IllegalArgumentException("model.numSamples must be >= 1, got " + model.numSamples());
        }
    }
}
