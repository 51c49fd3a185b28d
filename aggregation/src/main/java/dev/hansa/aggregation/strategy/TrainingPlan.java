package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.update.UpdateSpec;
import java.util.Map;

/**
 * What the server asks one participant to do in one round; travels to the client as JSON inside the assignment.
 *
 * @param strategy     strategy name, selects the client-side {@link ClientOptimizer}
 * @param role         strategy-specific role, e.g. {@code train}, or FedAMD's {@code anchor} / {@code miner}
 * @param localEpochs  passes over the local data (used when {@code localSteps} is 0)
 * @param localSteps   exact number of local minibatch steps; 0 means "use localEpochs"
 * @param batchSize    minibatch size
 * @param learningRate local learning rate for this round (already decayed by the server where a schedule applies)
 * @param seed         seed for everything random on the client this round (shuffling, perturbations)
 * @param params       further strategy hyperparameters by name (e.g. {@code mu}, {@code rho}, {@code momentum})
 * @param update       how to prepare the update for the wire: clip, error feedback, codec (the server decodes with it)
 */
public record TrainingPlan(String strategy, String role, int localEpochs, int localSteps, int batchSize,
                           double learningRate, long seed, Map<String, Double> params, UpdateSpec update) {

    public TrainingPlan {
        if (localEpochs < 0 || localSteps < 0 || (localEpochs == 0 && localSteps == 0)) {
            throw new IllegalArgumentException("localEpochs or localSteps must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0: " + learningRate);
        }
        params = Map.copyOf(params);
        update = update == null ? UpdateSpec.DENSE : update;
    }

    /** A plan whose update goes out dense, unclipped: {@link UpdateSpec#DENSE}. */
    public TrainingPlan(String strategy, String role, int localEpochs, int localSteps, int batchSize, double learningRate,
                        long seed, Map<String, Double> params) {
        this(strategy, role, localEpochs, localSteps, batchSize, learningRate, seed, params, UpdateSpec.DENSE);
    }

    /** A named hyperparameter, or {@code fallback} when the plan does not carry it. */
    public double param(String name, double fallback) {
        return params.getOrDefault(name, fallback);
    }

    /** This plan with another update preparation. */
    public TrainingPlan withUpdate(UpdateSpec spec) {
        return new TrainingPlan(strategy, role, localEpochs, localSteps, batchSize, learningRate, seed, params, spec);
    }
}
