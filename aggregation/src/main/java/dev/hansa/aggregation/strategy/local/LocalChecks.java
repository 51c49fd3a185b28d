package dev.hansa.aggregation.strategy.local;

import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.Tensors;

/** Preconditions every built-in local procedure checks before training. */
public final class LocalChecks {

    private LocalChecks() {
    }

    public static void require(String procedure, Objective objective, Tensors global, TrainingPlan plan) {
        if (!plan.strategy().equals(procedure)) {
            throw new IllegalArgumentException("plan.strategy is '" + plan.strategy() + "' but this procedure is '"
                    + procedure + "'");
        }
        if (!global.spec().equals(objective.spec())) {
            throw new IllegalArgumentException("global model spec " + global.spec() + " differs from the trainer's "
                    + objective.spec());
        }
        if (objective.numSamples() < 1) {
            throw new IllegalArgumentException("objective.numSamples must be >= 1, got " + objective.numSamples());
        }
    }
}
