package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.random.Seeds;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A federation's local-training settings (the {@code training} section of its config): how long, with which batch
 * size and learning rate, and the optimizer options every participant's {@link TrainingPlan} carries.
 *
 * <p>This is how the training config reaches {@link Strategy#planRound}: the server parses the JSON section with
 * {@link #fromMap} and passes it to {@code Strategies.create}; the strategy keeps it
 * (immutable) and stamps each round's plans from it, adding its own hyperparameters and a per-client seed.
 *
 * <p>Options in {@link #params()} understood by the built-in local procedures (each procedure accepts a subset and
 * the strategy rejects the others at creation): {@code momentum} in [0, 1) (heavy-ball, PyTorch semantics, reset
 * every round), {@code weightDecay} >= 0 (L2 added to the gradient), {@code gradientClipNorm} >= 0 (clip the loss gradient
 * to this global L2 norm before each step; 0 disables), and for FedAvg's local SGD and its relatives
 * {@code workerMomentum} in [0, 1) (an exponential average of the gradients kept across rounds in the client's state).
 *
 * @param localEpochs  passes over the local data, used when {@code localSteps} is 0
 * @param localSteps   exact number of local minibatch steps; 0 means "use localEpochs"
 * @param batchSize    minibatch size
 * @param learningRate local learning rate (strategies with a schedule decay it per round)
 * @param params       optimizer options by name, see above
 */
public record TrainingConfig(int localEpochs, int localSteps, int batchSize, double learningRate,
                             Map<String, Double> params) {

    public static final String MOMENTUM = "momentum";
    public static final String WEIGHT_DECAY = "weightDecay";
    public static final String GRADIENT_CLIP_NORM = "gradientClipNorm";
    public static final String WORKER_MOMENTUM = "workerMomentum";

    public TrainingConfig {
        if (localEpochs < 0 || localSteps < 0 || (localEpochs == 0 && localSteps == 0)) {
            throw new IllegalArgumentException("training.localEpochs or training.localSteps must be positive (got localEpochs="
                    + localEpochs + ", localSteps=" + localSteps + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("training.batchSize must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("training.learningRate must be finite and > 0, got " + learningRate);
        }
        params = Map.copyOf(params);
    }

    /**
     * Parses the JSON {@code training} section: {@code localEpochs}, {@code localSteps}, {@code batchSize},
     * {@code learningRate} and an optional {@code params} object of numbers. Absent fields take the values of
     * {@code defaults}; unknown fields are rejected. Ranges of the option values are checked by the strategy.
     */
    public static TrainingConfig fromMap(Map<String, ?> section, TrainingConfig defaults) {
        Hyperparameters h = new Hyperparameters("training", "the training section", section);
        int epochs = (int) h.integer("localEpochs", defaults.localEpochs, 0, 100_000);
        int steps = (int) h.integer("localSteps", defaults.localSteps, 0, 100_000_000);
        int batch = (int) h.integer("batchSize", defaults.batchSize, 1, Integer.MAX_VALUE);
        double lr = h.real("learningRate", defaults.learningRate, 0, false, Double.POSITIVE_INFINITY, false);
        Map<String, Double> options = new HashMap<>(defaults.params);
        if (h.has("params")) {
            Object raw = section.get("params");
            if (!(raw instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("training.params must be an object of numbers, got " + raw);
            }
            for (var e : map.entrySet()) {
                if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof Number n)) {
                    throw new IllegalArgumentException("training.params." + e.getKey() + " must be a number, got "
                            + e.getValue());
                }
                // Checked here, not only by the procedure: a strategy may override an option it owns (FedSpeed's
                // beta) and leave the given value unchecked, yet the config keeps it and must read back from JSON.
                if (!Double.isFinite(n.doubleValue())) {
                    throw new IllegalArgumentException("training.params." + key + " must be a finite number, got "
                            + e.getValue());
                }
                options.put(key, n.doubleValue());
            }
        }
        h.done();
        return new TrainingConfig(epochs, steps, batch, lr, options);
    }

    /** A copy with another learning rate. */
    public TrainingConfig withLearningRate(double rate) {
        return new TrainingConfig(localEpochs, localSteps, batchSize, rate, params);
    }

    /**
     * {@link #params} plus the options strategy {@code strategy} sets from its own {@code strategy.params}; an option
     * given in both places is refused, as the strategy's value would override it without a word.
     */
    public Map<String, Double> paramsWith(String strategy, Map<String, Double> owned) {
        Map<String, Double> all = new HashMap<>(params);
        for (Map.Entry<String, Double> e : owned.entrySet()) {
            if (all.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("training.params." + e.getKey() + ": " + strategy
                        + " sets it from strategy.params; give it there only");
            }
        }
        return all;
    }

    /** The plan for one participant: these settings plus {@code extraParams} (strategy hyperparameters). */
    public TrainingPlan plan(String strategy, String role, double rate, long seed, Map<String, Double> extraParams) {
        Map<String, Double> all = new HashMap<>(params);
        all.putAll(extraParams);
        return new TrainingPlan(strategy, role, localEpochs, localSteps, batchSize, rate, seed, all);
    }

    /**
     * The same plan for every participant, each with its own seed ({@link Seeds#forClient}): what a strategy whose
     * participants all train alike hands out.
     */
    public Map<String, TrainingPlan> plans(List<String> participants, String strategy, String role, double rate,
                                           long roundSeed, Map<String, Double> extraParams) {
        Map<String, TrainingPlan> plans = new LinkedHashMap<>();
        for (String id : participants) {
            plans.put(id, plan(strategy, role, rate, Seeds.forClient(roundSeed, id), extraParams));
        }
        return plans;
    }
}
