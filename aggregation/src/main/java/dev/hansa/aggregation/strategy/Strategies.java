package dev.hansa.aggregation.strategy;

import dev.hansa.aggregation.algorithm.FedAvg;
import dev.hansa.aggregation.algorithm.LocalSgd;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The registry of built-in strategies by name: the server creates a federation's {@link Strategy} from its config
 * and the SDK finds the {@link LocalProcedure} named in a {@link TrainingPlan}.
 *
 * <p>Typical server use: {@code Strategies.create(cfg.strategy.name, cfg.strategy.params,
 * TrainingConfig.fromMap(cfg.training, Strategies.defaultTraining(cfg.strategy.name)))}. Parameter maps come
 * straight from JSON; every value is range-checked and unknown names are rejected with an
 * {@link IllegalArgumentException} naming the field.
 */
public final class Strategies {

    private record Entry(TrainingConfig defaults, BiFunction<Hyperparameters, TrainingConfig, Strategy> factory,
                         Function<String, LocalProcedure> local) {
    }

    private static final Map<String, Entry> REGISTRY = new TreeMap<>(Map.of(
            "fedavg", new Entry(sgdDefaults(),
                    (h, t) -> FedAvg.plain(t, serverLearningRate(h)),
                    LocalSgd::plain)));

    private Strategies() {
    }

    /** Registered names, sorted. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** {@link #create(String, Map, TrainingConfig)} with the strategy's {@link #defaultTraining default training}. */
    public static Strategy create(String name, Map<String, Object> params) {
        return create(name, params, defaultTraining(name));
    }

    /**
     * A strategy with hyperparameters {@code params} (strategy section of the federation config) whose plans are
     * built from {@code training}.
     *
     * @throws IllegalArgumentException for an unknown name, a parameter out of range, an unknown parameter, or a
     *                                  training option the strategy's local procedure does not support
     */
    public static Strategy create(String name, Map<String, Object> params, TrainingConfig training) {
        Hyperparameters h = new Hyperparameters(name, params);
        Strategy strategy = entry(name).factory.apply(h, training);
        h.done();
        return strategy;
    }

    /** The training settings a federation of strategy {@code name} gets when its config leaves them out. */
    public static TrainingConfig defaultTraining(String name) {
        return entry(name).defaults;
    }

    /** The client half of strategy {@code name}, as named in {@link TrainingPlan#strategy()}. */
    public static LocalProcedure localProcedure(String name) {
        return entry(name).local.apply(name);
    }

    private static Entry entry(String name) {
        Entry e = REGISTRY.get(name);
        if (e == null) {
            throw new IllegalArgumentException("strategy: unknown name '" + name + "'; known: " + names());
        }
        return e;
    }

    private static TrainingConfig sgdDefaults() {
        return new TrainingConfig(1, 0, 32, 0.05, Map.of());
    }

    private static double serverLearningRate(Hyperparameters h) {
        return h.real("serverLearningRate", 1.0, 0, false, Double.POSITIVE_INFINITY, false);
    }
}
