package dev.hansa.client;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.training.Evaluation;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.compute.Backend;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in {@link LocalTrainer}: one of Hansa's trainable models bound to local data, trained by the client
 * optimizer of whatever strategy the plan names, on the given backend.
 */
public final class BuiltInTrainer implements LocalTrainer {

    private final TrainableModel model;
    private final Dataset train;
    private final Dataset heldOut;
    private final Backend backend;
    private final Objective objective;

    /** @param heldOut local evaluation data, or null */
    public BuiltInTrainer(TrainableModel model, Dataset train, Dataset heldOut, Backend backend) {
        this.model = model;
        this.train = train;
        this.heldOut = heldOut;
        this.backend = backend;
        this.objective = model.bind(train, backend);
    }

    /** The same trainer on its training data with every label y replaced by C - 1 - y (a label-flipping client). */
    BuiltInTrainer withFlippedLabels() {
        return new BuiltInTrainer(model, train.withFlippedLabels(), heldOut, backend);
    }

    @Override
    public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state) {
        return Strategies.clientOptimizer(plan.strategy()).train(objective, global, plan, broadcast, state);
    }

    @Override
    public Map<String, Double> evaluate(Tensors global) {
        if (heldOut == null || heldOut.size() == 0) {
            return Map.of();
        }
        Evaluation e = model.evaluate(global, heldOut, backend);
        return Map.of("test_accuracy", e.accuracy(), "test_loss", e.loss());
    }

    @Override
    public long numSamples() {
        return train.size();
    }
}
