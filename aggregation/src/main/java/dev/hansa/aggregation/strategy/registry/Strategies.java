package dev.hansa.aggregation.strategy.registry;

import dev.hansa.aggregation.aggregate.UpdateWeighting;
import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.diff2.Diff2;
import dev.hansa.aggregation.strategy.diff2.Diff2Client;
import dev.hansa.aggregation.strategy.diloco.DiLoCo;
import dev.hansa.aggregation.strategy.diloco.LocalAdamW;
import dev.hansa.aggregation.strategy.diloco.SparseLoCo;
import dev.hansa.aggregation.strategy.diloco.StreamingDiLoCo;
import dev.hansa.aggregation.strategy.diloco.StreamingDiLoCoClient;
import dev.hansa.aggregation.strategy.fedamd.AnchorSchedule;
import dev.hansa.aggregation.strategy.fedamd.FedAmd;
import dev.hansa.aggregation.strategy.fedamd.FedAmdClient;
import dev.hansa.aggregation.strategy.fedavg.FedAvg;
import dev.hansa.aggregation.strategy.fedavg.LocalSgd;
import dev.hansa.aggregation.strategy.fedopt.AdaptiveServerOptimizer;
import dev.hansa.aggregation.strategy.fedopt.FedAvgM;
import dev.hansa.aggregation.strategy.fedopt.ServerOptimizer;
import dev.hansa.aggregation.strategy.fedopt.ServerSgd;
import dev.hansa.aggregation.strategy.fedspeed.FedSpeed;
import dev.hansa.aggregation.strategy.fetchsgd.FetchSgd;
import dev.hansa.aggregation.strategy.fedspeed.FedSpeedClient;
import dev.hansa.aggregation.update.codec.SparseSize;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The registry of built-in strategies by name: the server creates a federation's {@link Strategy} from its config
 * and the SDK finds the {@link ClientOptimizer} named in a {@link TrainingPlan}.
 *
 * <p>Typical server use: {@code Strategies.create(cfg.strategy.name, cfg.strategy.params,
 * TrainingConfig.fromMap(cfg.training, Strategies.defaultTraining(cfg.strategy.name)))}. Parameter maps come
 * straight from JSON; every value is range-checked and unknown names are rejected with an
 * {@link IllegalArgumentException} naming the field.
 */
public final class Strategies {

    private record Entry(TrainingConfig defaults, BiFunction<Hyperparameters, TrainingConfig, Strategy> factory,
                         Function<String, ClientOptimizer> client, Map<String, Object> updateDefaults) {

        Entry(TrainingConfig defaults, BiFunction<Hyperparameters, TrainingConfig, Strategy> factory,
              Function<String, ClientOptimizer> client) {
            this(defaults, factory, client, Map.of());
        }
    }

    private static final double INF = Double.POSITIVE_INFINITY;

    private static final Map<String, Entry> REGISTRY = new TreeMap<>(Map.ofEntries(
            Map.entry("fedavg", new Entry(sgdDefaults(0.05),
                    (h, t) -> new FedAvg(LocalSgd.plain("fedavg"), t, Map.of(), new ServerSgd(eta(h, 1.0)),
                            weighting(h)),
                    LocalSgd::plain)),
            Map.entry("fedprox", new Entry(sgdDefaults(0.05),
                    (h, t) -> new FedAvg(LocalSgd.fedProx("fedprox"), t,
                            Map.of(LocalSgd.MU, h.real(LocalSgd.MU, 0.01, 0, true, INF, false)),
                            new ServerSgd(eta(h, 1.0)), weighting(h)),
                    LocalSgd::fedProx)),
            Map.entry("fedavgm", new Entry(sgdDefaults(0.05),
                    (h, t) -> serverOptimized("fedavgm", h, t,
                            new FedAvgM(eta(h, 1.0), h.real("serverMomentum", 0.9, 0, true, 1, false),
                                    h.bool("nesterov", false))),
                    LocalSgd::plain)),
            Map.entry(DiLoCo.NAME, new Entry(DiLoCo.training(DiLoCo.INNER_STEPS, DiLoCo.INNER_LEARNING_RATE),
                    (h, t) -> new FedAvg(new LocalAdamW(DiLoCo.NAME), t, Map.of(),
                            new FedAvgM(eta(h, DiLoCo.OUTER_LEARNING_RATE),
                                    h.real("serverMomentum", DiLoCo.OUTER_MOMENTUM, 0, true, 1, false), true),
                            weighting(h)),
                    LocalAdamW::new)),
            Map.entry(StreamingDiLoCo.NAME, new Entry(DiLoCo.training(DiLoCo.INNER_STEPS, DiLoCo.INNER_LEARNING_RATE),
                    (h, t) -> new StreamingDiLoCo(t,
                            (int) h.integer(StreamingDiLoCo.FRAGMENTS, 2, 1, StreamingDiLoCo.MAX_FRAGMENTS),
                            h.real(StreamingDiLoCo.MIXING, 0.5, 0, true, 1, true),
                            (int) h.integer(StreamingDiLoCo.OVERLAP_STEPS, 1, 0, Integer.MAX_VALUE),
                            new FedAvgM(eta(h, DiLoCo.OUTER_LEARNING_RATE),
                                    h.real("serverMomentum", DiLoCo.OUTER_MOMENTUM, 0, true, 1, false), true),
                            weighting(h)),
                    name -> new StreamingDiLoCoClient())),
            Map.entry(SparseLoCo.NAME, new Entry(
                    DiLoCo.training(SparseLoCo.INNER_STEPS, SparseLoCo.INNER_LEARNING_RATE),
                    (h, t) -> new FedAvg(new LocalAdamW(SparseLoCo.NAME), t, Map.of(),
                            new ServerSgd(eta(h, SparseLoCo.OUTER_LEARNING_RATE)), weighting(h)),
                    LocalAdamW::new, SparseLoCo.UPDATE)),
            Map.entry(FetchSgd.NAME, new Entry(sgdDefaults(0.05),
                    (h, t) -> new FetchSgd(LocalSgd.plain(FetchSgd.NAME), t,
                            SparseSize.named(h.field("k"), h.real("k", FetchSgd.K, 0, false, Integer.MAX_VALUE, true)),
                            h.real("serverMomentum", FetchSgd.MOMENTUM_DEFAULT, 0, true, 1, false), eta(h, 1.0),
                            FetchSgd.ErrorReset.of(h.choice("errorReset", "zero", FetchSgd.ErrorReset.names())),
                            weighting(h)),
                    LocalSgd::plain, FetchSgd.UPDATE)),
            Map.entry("fedadam", new Entry(sgdDefaults(0.1),
                    (h, t) -> serverOptimized("fedadam", h, t,
                            AdaptiveServerOptimizer.fedAdam(eta(h, 0.1), beta1(h, 0.9), beta2(h, 0.99), tau(h, 1e-3))),
                    LocalSgd::plain)),
            Map.entry("fedyogi", new Entry(sgdDefaults(0.0316),
                    (h, t) -> serverOptimized("fedyogi", h, t,
                            AdaptiveServerOptimizer.fedYogi(eta(h, 0.01), beta1(h, 0.9), beta2(h, 0.99), tau(h, 1e-3))),
                    LocalSgd::plain)),
            Map.entry("fedadagrad", new Entry(sgdDefaults(0.1),
                    (h, t) -> serverOptimized("fedadagrad", h, t,
                            AdaptiveServerOptimizer.fedAdagrad(eta(h, 0.1), beta1(h, 0.0), tau(h, 1e-3))),
                    LocalSgd::plain)),
            Map.entry(FedSpeedClient.NAME, new Entry(
                    new TrainingConfig(5, 0, 50, 0.1, Map.of(TrainingConfig.WEIGHT_DECAY, 1e-3, TrainingConfig.GRADIENT_CLIP_NORM, 10.0)),
                    (h, t) -> new FedSpeed(t, h.real(FedSpeedClient.BETA, 0.1, 0, true, INF, false),
                            h.real(FedSpeedClient.RHO, 0.1, 0, true, INF, false),
                            h.real("lrDecay", 0.998, 0, false, 1, true)),
                    name -> new FedSpeedClient())),
            Map.entry(FedAmdClient.NAME, new Entry(new TrainingConfig(0, 10, 64, 0.01, Map.of()),
                    (h, t) -> new FedAmd(t, AnchorSchedule.from(h), eta(h, 1.0),
                            (int) h.integer(FedAmdClient.ANCHOR_BATCH_SIZE, 0, 0, Integer.MAX_VALUE)),
                    name -> new FedAmdClient())),
            Map.entry(Diff2Client.NAME, new Entry(new TrainingConfig(1, 0, 256, 1.0, Map.of()),
                    (h, t) -> new Diff2(t, (int) h.integer("restartPeriod", 10, 1, 1_000_000), eta(h, 1.0)),
                    name -> new Diff2Client()))));

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
     *                                  training option the strategy's client optimizer does not support
     */
    public static Strategy create(String name, Map<String, Object> params, TrainingConfig training) {
        return configure(name, params, training).strategy();
    }

    /** A strategy and the hyperparameters it runs with. */
    public record Configured(Strategy strategy, Map<String, Object> effectiveParams) {
    }

    /**
     * As {@link #create(String, Map, TrainingConfig)}, also returning every strategy parameter with the value the
     * strategy uses, given or defaulted: what the server records with each round, so a round's results stay
     * explained even if a later release changes a default.
     */
    public static Configured configure(String name, Map<String, Object> params, TrainingConfig training) {
        Hyperparameters h = new Hyperparameters("strategy.params", name, params);
        Strategy strategy = entry(name).factory.apply(h, training);
        h.done();
        return new Configured(strategy, h.effective());
    }

    /** The training settings a federation of strategy {@code name} gets when its config leaves them out. */
    public static TrainingConfig defaultTraining(String name) {
        return entry(name).defaults;
    }

    /**
     * The {@code update} section a federation of strategy {@code name} runs with where its config leaves a field
     * out: empty, except for presets that come with their compression (SparseLoCo's codec and error feedback).
     */
    public static Map<String, Object> defaultUpdate(String name) {
        return entry(name).updateDefaults;
    }

    /** The client half of strategy {@code name}, as named in {@link TrainingPlan#strategy()}. */
    public static ClientOptimizer clientOptimizer(String name) {
        return entry(name).client.apply(name);
    }

    private static Entry entry(String name) {
        if (name == null) {
            throw new IllegalArgumentException("strategy: name is required; known: " + names());
        }
        Entry e = REGISTRY.get(name);
        if (e == null) {
            throw new IllegalArgumentException("strategy: unknown name '" + name + "'; known: " + names());
        }
        return e;
    }

    private static TrainingConfig sgdDefaults(double learningRate) {
        return new TrainingConfig(1, 0, 32, learningRate, Map.of());
    }

    private static Strategy serverOptimized(String name, Hyperparameters h, TrainingConfig training,
                                            ServerOptimizer optimizer) {
        return new FedAvg(LocalSgd.plain(name), training, Map.of(), optimizer, weighting(h));
    }

    /** {@code weighting}: {@code samples} (default, McMahan) or {@code uniform} (plain mean over the round). */
    private static UpdateWeighting weighting(Hyperparameters h) {
        return h.choice("weighting", "samples", List.of("samples", "uniform")).equals("samples")
                ? UpdateWeighting.SAMPLES : UpdateWeighting.UNIFORM;
    }

    private static double eta(Hyperparameters h, double fallback) {
        return h.real("serverLearningRate", fallback, 0, false, INF, false);
    }

    private static double beta1(Hyperparameters h, double fallback) {
        return h.real("beta1", fallback, 0, true, 1, false);
    }

    private static double beta2(Hyperparameters h, double fallback) {
        return h.real("beta2", fallback, 0, true, 1, false);
    }

    private static double tau(Hyperparameters h, double fallback) {
        return h.real("tau", fallback, 0, false, INF, false);
    }
}
