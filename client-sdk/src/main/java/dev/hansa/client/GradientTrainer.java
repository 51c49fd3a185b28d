package dev.hansa.client;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.GradientModel;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Strategies;
import dev.hansa.aggregation.strategy.StrategyState;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.model.Evaluation;
import dev.hansa.client.model.ModelArchitecture;
import dev.hansa.compute.Backend;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in {@link LocalTrainer}: a Hansa model architecture bound to local data, trained by the local procedure
 * of whatever strategy the plan names, on the given backend.
 */
public final class GradientTrainer implements LocalTrainer {

    private final ModelArchitecture architecture;
    private final Dataset train;
    private final Dataset heldOut;
    private final Backend backend;
    private final GradientModel model;

    /** @param heldOut local evaluation data, or null */
    public GradientTrainer(ModelArchitecture architecture, Dataset train, Dataset heldOut, Backend backend) {
        this.architecture = architecture;
        this.train = train;
        this.heldOut = heldOut;
        this.backend = backend;
        this.model = architecture.bind(train, backend);
    }

    @Override
    public LocalResult train(ModelWeights global, TrainingPlan plan, Optional<ModelWeights> broadcast, StrategyState state) {
        return Strategies.localProcedure(plan.strategy()).train(model, global, plan, broadcast, state);
    }

    @Override
    public Map<String, Double> evaluate(ModelWeights global) {
        if (heldOut == null || heldOut.size() == 0) {
            return Map.of();
        }
        Evaluation e = architecture.evaluate(global, heldOut, backend);
        return Map.of("test_accuracy", e.accuracy(), "test_loss", e.loss());
    }

    @Override
    public long numSamples() {
        return train.size();
    }
}
