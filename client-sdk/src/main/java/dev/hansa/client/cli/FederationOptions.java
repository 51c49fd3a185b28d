package dev.hansa.client.cli;

import dev.hansa.aggregation.aggregate.WeightedMean;
import dev.hansa.aggregation.aggregate.robust.Aggregators;
import dev.hansa.aggregation.architecture.Architectures;
import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import dev.hansa.client.simulation.FederatedData;
import dev.hansa.compute.Backends;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The flags that {@code hansa simulate} and {@code hansa demo} share, declared and read in one place: the data and
 * its split into clients, the model, the strategy and its local training, the seed and the compute backend. The
 * strategy and training come out JSON-shaped, as a federation's config carries them (docs/protocol.md).
 *
 * @param convolution    the cnn's shape as model params: {@code inputChannels}, {@code inputHeight},
 *                       {@code inputWidth}, {@code convChannels}, {@code kernelSize} (read only for the cnn)
 * @param strategyParams the strategy section's {@code params}: a number where the value parses as one, else the word
 * @param training       the training section: only the settings given, the strategy's defaults fill the rest
 * @param update         the update section: how clients prepare their updates (codec, clip, error feedback)
 * @param robustness     the robustness section: aggregator, its parameters, pre-aggregators, f and bounds on what one
 *                       client may send, as the REST API's config carries it (the flags' syntax: {@link ParamList})
 */
public record FederationOptions(String dataset, String partition, double syntheticAlpha, double syntheticBeta,
                                int clients, int rounds, String model, List<Integer> hidden,
                                Map<String, Object> convolution, String strategy,
                                Map<String, Object> strategyParams, Map<String, Object> training,
                                Map<String, Object> update, Map<String, Object> robustness, String sampler, long seed,
                                String backend) {

    /**
     * A command's defaults for the size of the run and for local training; an empty string leaves that setting to
     * the strategy ({@link Strategies#defaultTraining}).
     */
    public record Defaults(int clients, int rounds, String learningRate, String batchSize, String localEpochs,
                           String momentum) {

        /** Every local-training setting from the strategy. */
        public static Defaults fromStrategy(int clients, int rounds) {
            return new Defaults(clients, rounds, "", "", "", "");
        }
    }

    public FederationOptions {
        strategyParams = Map.copyOf(strategyParams);
        training = Map.copyOf(training);
        update = Map.copyOf(update);
        robustness = Map.copyOf(robustness);
        hidden = List.copyOf(hidden);
        convolution = Collections.unmodifiableMap(new LinkedHashMap<>(convolution)); // in the order it prints
    }

    /** Declares the shared flags on {@code options} with {@code defaults}; returns {@code options}. */
    public static Options declare(Options options, Defaults defaults) {
        return options
                .option("dataset", "fashion-mnist", "fashion-mnist (Debian package dataset-fashion-mnist; without it, "
                        + "synthetic) or synthetic")
                .option("partition", "dirichlet:0.5", "split of Fashion-MNIST into clients: iid, dirichlet:ALPHA "
                        + "(label skew), shards:PER_CLIENT or gamma:GAMMA (ByzFL's gamma-similarity)")
                .option("synthetic-alpha", "1", "Synthetic(alpha, beta): model heterogeneity")
                .option("synthetic-beta", "1", "Synthetic(alpha, beta): data heterogeneity")
                .option("clients", Integer.toString(defaults.clients()), "number of clients")
                .option("rounds", Integer.toString(defaults.rounds()), "rounds")
                .option("model", "mlp", "one of " + Architectures.names())
                .option("hidden", "200", "hidden layer widths of the mlp or of the cnn's dense head, comma separated")
                .option("image", "1x28x28", "the cnn's input, CxHxW (channels x height x width)")
                .option("conv-channels", "20,50", "output channels of the cnn's conv blocks, comma separated")
                .option("kernel-size", "5", "side of the cnn's square convolution kernels")
                .option("strategy", "fedavg", "one of " + Strategies.names())
                .option("strategy-param", "", "strategy hyperparameter k=v, a number or a word (repeatable)")
                .option("lr", defaults.learningRate(), orStrategys(defaults.learningRate(), "local learning rate"))
                .option("batch", defaults.batchSize(), orStrategys(defaults.batchSize(), "minibatch size"))
                .option("epochs", defaults.localEpochs(),
                        orStrategys(defaults.localEpochs(), "local epochs, used when the steps are 0"))
                .option("steps", "", orStrategys("", "local steps per round, 0 for epochs"))
                .option("momentum", defaults.momentum(), orStrategys(defaults.momentum(),
                        "local SGD momentum; 0 for none, which FedSpeed and FedAMD need"))
                .option("worker-momentum", "", "momentum kept across rounds (m = beta m + (1 - beta) g), "
                        + "local SGD only; not with --momentum")
                .option("weight-decay", "", orStrategys("", "local L2 weight decay"))
                .option("gradient-clip-norm", "", orStrategys("", "clip each local gradient to this L2 norm, 0 = off"))
                .option("training-params", "", "further local-optimizer options (training.params): k=v[,k=v...], "
                        + "e.g. beta2=0.999 for the DiLoCo family's AdamW")
                .option("sampler", Samplers.UNIFORM, "how participants are drawn: one of " + Samplers.names())
                .option("codec", "", "how clients encode their updates: one of " + UpdateCodecs.names() + " (default: "
                        + DenseCodec.NAME + ", or the strategy preset's)")
                .option("update-clip-norm", "", "clients clip their update to this L2 norm, 0 = off (default)")
                .option("error-feedback", "", "true: carry what a lossy codec loses over to the next round (default:"
                        + " false, or the strategy preset's)")
                .option("codec-k", "", "coordinates topk, randk and countsketch keep (update.k): a fraction in (0, 1)"
                        + " or a count")
                .option("codec-params", "", "the codec's parameters (update.params): k=v[,k=v...], e.g. levels=4;"
                        + " rows=5,columns=20000 for countsketch and fetchsgd (strategy fetchsgd takes its k,"
                        + " serverMomentum and errorReset as --strategy-param)")
                .option("error-feedback-rule", "", "with --error-feedback: classic (default), decayed, ef21 or econtrol")
                .option("error-feedback-params", "", "the rule's parameters: decay=0.95 (decayed), strength=0.1"
                        + " (econtrol)")
                .option("lgreco-every", "", "L-GreCo with topk, qsgd or sparseloco: re-plan each tensor's"
                        + " density, levels or kPerChunk after every N-th round (update.lgreco.every)")
                .option("lgreco-options", "", "L-GreCo: settings per tensor to choose from, odd, 3 to 9"
                        + " (update.lgreco.options, default 5)")
                .option("aggregator", WeightedMean.NAME, "aggregation rule: one of " + Aggregators.names())
                .option("aggregator-params", "", "the aggregator's parameters: k=v[,k=v...]")
                .option("pre-aggregators", "", "whole-round steps before the aggregator, in order: "
                        + "NAME[:k=v[:k=v...]][,NAME...] with NAME one of " + Aggregators.preAggregatorNames())
                .option("f", "0", "the Byzantine updates per round the robust rules are to tolerate (robustness.f)")
                .option("max-update-norm", "0", "the server refuses (or clips) updates above this L2 norm, 0 = off")
                .option("on-norm-exceeded", "reject", "reject or clip an update above --max-update-norm")
                .option("seed", "1", "seed of the data split, model and sampling")
                .option("backend", "", "compute backend: auto, cuda, cpu or java (default: HANSA_BACKEND, else auto)");
    }

    private static String orStrategys(String defaultValue, String description) {
        return defaultValue.isEmpty() ? description + " (default: the strategy's)" : description;
    }

    /** Reads the shared flags from parsed {@code options}; errors name the flag. */
    public static FederationOptions read(Options o) {
        Map<String, Object> training = new LinkedHashMap<>();
        putIfGiven(o, "lr", "learningRate", training, o::real);
        putIfGiven(o, "batch", "batchSize", training, o::integer);
        putIfGiven(o, "epochs", "localEpochs", training, o::integer);
        putIfGiven(o, "steps", "localSteps", training, o::integer);
        Map<String, Object> optimizer = new LinkedHashMap<>();
        putIfGiven(o, "momentum", TrainingConfig.MOMENTUM, optimizer, o::real);
        // Momentum 0 is plain SGD, every procedure's default; leaving it out lets FedSpeed and FedAMD, which take no
        // momentum option at all, run with a command whose default momentum is not 0.
        if (optimizer.get(TrainingConfig.MOMENTUM) instanceof Double momentum && momentum == 0) {
            optimizer.remove(TrainingConfig.MOMENTUM);
        }
        putIfGiven(o, "worker-momentum", TrainingConfig.WORKER_MOMENTUM, optimizer, o::real);
        putIfGiven(o, "weight-decay", TrainingConfig.WEIGHT_DECAY, optimizer, o::real);
        putIfGiven(o, "gradient-clip-norm", TrainingConfig.GRADIENT_CLIP_NORM, optimizer, o::real);
        optimizer.putAll(ParamList.parameters("--training-params", o.string("training-params")));
        if (!optimizer.isEmpty()) {
            training.put("params", optimizer);
        }
        Map<String, Object> strategyParams = new LinkedHashMap<>();
        for (String kv : o.all("strategy-param")) {
            String[] parts = kv.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--strategy-param must be k=v: " + kv);
            }
            strategyParams.put(parts[0], numberOrWord(parts[1]));
        }
        Map<String, Object> update = new LinkedHashMap<>();
        putIfGiven(o, "codec", "codec", update, o::string);
        putIfGiven(o, "update-clip-norm", "clipNorm", update, o::real);
        putIfGiven(o, "error-feedback", "errorFeedback", update, option -> bool(o, option));
        putIfGiven(o, "codec-k", "k", update, o::real);
        Map<String, Object> codecParams = ParamList.parameters("--codec-params", o.string("codec-params"));
        if (!codecParams.isEmpty()) {
            update.put("params", codecParams);
        }
        putIfGiven(o, "error-feedback-rule", "errorFeedbackRule", update, o::string);
        Map<String, Object> ruleParams = ParamList.parameters("--error-feedback-params",
                o.string("error-feedback-params"));
        if (!ruleParams.isEmpty()) {
            update.put("errorFeedbackParams", ruleParams);
        }
        Map<String, Object> lgreco = new LinkedHashMap<>();
        putIfGiven(o, "lgreco-every", "every", lgreco, o::integer);
        putIfGiven(o, "lgreco-options", "options", lgreco, o::integer);
        if (!lgreco.isEmpty()) {
            update.put("lgreco", lgreco);
        }
        Map<String, Object> robustness = new LinkedHashMap<>();
        robustness.put("aggregator", o.string("aggregator"));
        robustness.put("aggregatorParams", ParamList.parameters("--aggregator-params", o.string("aggregator-params")));
        robustness.put("preAggregators", ParamList.chain("--pre-aggregators", o.string("pre-aggregators")));
        robustness.put("f", o.integer("f"));
        robustness.put("maxUpdateNorm", o.real("max-update-norm"));
        robustness.put("onNormExceeded", o.string("on-norm-exceeded"));
        return new FederationOptions(o.string("dataset"), o.string("partition"), o.real("synthetic-alpha"),
                o.real("synthetic-beta"), o.integer("clients"), o.integer("rounds"), o.string("model"),
                widths("hidden", o.string("hidden")), convolution(o), o.string("strategy"), strategyParams, training,
                update, robustness, o.string("sampler"), o.longValue("seed"), o.string("backend"));
    }

    /** The clients' data and the pooled test set; {@code notice} hears of a fallback to synthetic data. */
    public FederatedData loadData(Consumer<String> notice) {
        return FederatedData.load(dataset, partition, clients, syntheticAlpha, syntheticBeta, seed, notice);
    }

    /** The model section's {@code params} for {@code data}'s features and classes. */
    public Map<String, Object> modelParams(FederatedData data) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (model.equals(ConvArchitecture.NAME)) {
            long values = 1;
            for (String key : List.of("inputChannels", "inputHeight", "inputWidth")) {
                values *= (Integer) convolution.get(key);
            }
            if (values != data.featureCount()) {
                throw new IllegalArgumentException("--image " + convolution.get("inputChannels") + "x"
                        + convolution.get("inputHeight") + "x" + convolution.get("inputWidth") + " holds " + values
                        + " values per example; the " + dataset + " data has " + data.featureCount() + " features");
            }
            params.putAll(convolution);
            params.put("hiddenLayers", hidden);
        } else {
            params.put("inputSize", data.featureCount());
        }
        if (model.equals("mlp")) {
            params.put("hiddenLayers", hidden);
        }
        params.put("numClasses", data.numClasses());
        return params;
    }

    /** The training section over the strategy's defaults. */
    public TrainingConfig trainingConfig() {
        return TrainingConfig.fromMap(training, Strategies.defaultTraining(strategy));
    }

    /**
     * How rounds run with these options, drawing with this command's sampler: {@code fraction} of the clients
     * (uniform: between {@code minClients} and {@code maxClients}; Poisson and Bernoulli: each one's probability).
     * Configuring checks every strategy, training, update and robustness flag together.
     */
    public RoundConfig.Configured rounds(double fraction, int minClients, int maxClients) {
        return rounds(fraction, minClients, maxClients, Map.of());
    }

    /** As {@link #rounds(double, int, int)}, client-level DP-FedAvg when {@code privacy} (the section) is not empty. */
    public RoundConfig.Configured rounds(double fraction, int minClients, int maxClients, Map<String, ?> privacy) {
        return RoundConfig.configure(strategy, strategyParams, training, update, robustness, privacy,
                new RoundConfig.Sampling(sampler, fraction, minClients, maxClients), rounds);
    }

    /** The backend of {@code --backend}, else of HANSA_BACKEND, else the best available. */
    public Backends.Choice chooseBackend() {
        return Backends.choose(backend.isEmpty() ? Backends.setting() : backend);
    }

    /** As {@link #chooseBackend()}, with a CPU backend of {@code cpuThreads} threads ({@link Backends#choose(String, int)}). */
    public Backends.Choice chooseBackend(int cpuThreads) {
        return Backends.choose(backend.isEmpty() ? Backends.setting() : backend, cpuThreads);
    }

    /** Puts {@code read(option)} under {@code field} when the option has a value (its default or given). */
    private static void putIfGiven(Options o, String option, String field, Map<String, Object> into,
                                   Function<String, Object> read) {
        if (!o.string(option).isEmpty()) {
            into.put(field, read.apply(option));
        }
    }

    private static boolean bool(Options o, String option) {
        return switch (o.string(option)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + option + " must be true or false: " + o.string(option));
        };
    }

    private static List<Integer> widths(String flag, String raw) {
        List<Integer> widths = new ArrayList<>();
        for (String part : raw.split(",")) {
            try {
                widths.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + flag + " must be integers separated by commas: " + raw);
            }
        }
        return widths;
    }

    /** The cnn's shape from {@code --image}, {@code --conv-channels} and {@code --kernel-size}, as model params. */
    private static Map<String, Object> convolution(Options o) {
        String image = o.string("image");
        String[] sides = image.split("x", -1);
        Map<String, Object> shape = new LinkedHashMap<>();
        try {
            if (sides.length != 3) {
                throw new NumberFormatException();
            }
            shape.put("inputChannels", Integer.parseInt(sides[0]));
            shape.put("inputHeight", Integer.parseInt(sides[1]));
            shape.put("inputWidth", Integer.parseInt(sides[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--image must be CxHxW, three integers such as 1x28x28: " + image);
        }
        shape.put("convChannels", widths("conv-channels", o.string("conv-channels")));
        shape.put("kernelSize", o.integer("kernel-size"));
        return shape;
    }

    /** A strategy parameter as JSON would carry it: a number or a boolean when it parses as one, else the word. */
    private static Object numberOrWord(String raw) {
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            return raw;
        }
    }
}
