package dev.hansa.client.cli;

import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.sampling.Samplers;
import dev.hansa.aggregation.strategy.Strategies;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.client.simulation.FederatedData;
import dev.hansa.client.simulation.RoundRecord;
import dev.hansa.client.simulation.SimulationRunner;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** {@code hansa simulate}: N virtual clients in one process through the same strategy code as the server. */
public final class SimulateCommand {

    private SimulateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args) {
        Options o = new Options()
                .option("dataset", "fashion-mnist", "fashion-mnist or synthetic")
                .option("partition", "dirichlet:0.5", "iid, dirichlet:ALPHA or shards:PER_CLIENT (Fashion-MNIST)")
                .option("synthetic-alpha", "1", "Synthetic(alpha, beta): model heterogeneity")
                .option("synthetic-beta", "1", "Synthetic(alpha, beta): data heterogeneity")
                .option("clients", "100", "number of clients")
                .option("per-round", "10", "clients sampled per round")
                .option("rounds", "100", "rounds")
                .option("model", "mlp", "mlp or softmax")
                .option("hidden", "200", "hidden layer widths, comma separated (mlp)")
                .option("strategy", "fedavg", "one of " + Strategies.names())
                .option("strategy-param", "", "strategy hyperparameter k=v, a number or a word (repeatable)")
                .option("lr", "", "local learning rate (default: the strategy's)")
                .option("batch", "", "minibatch size (default: the strategy's)")
                .option("epochs", "", "local epochs, used when the steps are 0 (default: the strategy's)")
                .option("steps", "", "local steps per round, 0 for epochs (default: the strategy's)")
                .option("momentum", "", "local SGD momentum (default: the strategy's)")
                .option("weight-decay", "", "local L2 weight decay (default: the strategy's)")
                .option("gradient-clip-norm", "", "clip each local gradient to this L2 norm, 0 = off (default: the strategy's)")
                .option("seed", "1", "seed of data split, model and sampling")
                .option("backend", "", "compute backend: auto, cuda, cpu or java (default: HANSA_BACKEND, else auto)")
                .option("eval-every", "1", "evaluate the global model every k rounds (and after the last)")
                .option("threads", Integer.toString(Runtime.getRuntime().availableProcessors()),
                        "workers training a round's clients in parallel (results do not depend on it)")
                .option("csv", "", "write per-round metrics to this CSV file");
        try {
            if (!o.parse(args)) {
                System.out.print(o.usage("hansa simulate"));
                return 0;
            }
            simulate(o);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("hansa simulate: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("hansa simulate: " + e);
            return 1;
        }
    }

    private static void simulate(Options o) throws IOException {
        int clients = o.integer("clients");
        long seed = o.longValue("seed");
        FederatedData data = FederatedData.load(o.string("dataset"), o.string("partition"), clients,
                o.real("synthetic-alpha"), o.real("synthetic-beta"), seed, msg -> System.err.println("note: " + msg));
        Map<String, Object> modelParams = new HashMap<>();
        modelParams.put("inputSize", data.featureCount());
        modelParams.put("numClasses", data.numClasses());
        if (o.string("model").equals("mlp")) {
            modelParams.put("hiddenLayers", Arrays.stream(o.string("hidden").split(",")).map(String::trim)
                    .map(Integer::parseInt).toList());
        }
        TrainableModel architecture = TrainableModels.create(o.string("model"), modelParams);
        Map<String, Object> training = new HashMap<>();
        putIfGiven(o, "lr", "learningRate", training, Double::parseDouble);
        putIfGiven(o, "batch", "batchSize", training, Integer::parseInt);
        putIfGiven(o, "epochs", "localEpochs", training, Integer::parseInt);
        putIfGiven(o, "steps", "localSteps", training, Integer::parseInt);
        Map<String, Object> options = new HashMap<>();
        putIfGiven(o, "momentum", TrainingConfig.MOMENTUM, options, Double::parseDouble);
        putIfGiven(o, "weight-decay", TrainingConfig.WEIGHT_DECAY, options, Double::parseDouble);
        putIfGiven(o, "gradient-clip-norm", TrainingConfig.GRADIENT_CLIP_NORM, options, Double::parseDouble);
        if (!options.isEmpty()) {
            training.put("params", options);
        }
        String name = o.string("strategy");
        Map<String, Object> strategyParams = new HashMap<>();
        for (String kv : o.all("strategy-param")) {
            String[] parts = kv.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--strategy-param must be k=v: " + kv);
            }
            strategyParams.put(parts[0], numberOrWord(parts[1]));
        }
        TrainingConfig trainingConfig = TrainingConfig.fromMap(training, Strategies.defaultTraining(name));
        int perRound = o.integer("per-round");
        RoundProtocol protocol = RoundConfig.configure(name, strategyParams, training, Map.of(), Map.of(),
                new RoundConfig.Sampling(Samplers.UNIFORM, (double) perRound / clients, perRound, perRound)).protocol();
        var settings = new SimulationRunner.Settings(o.integer("rounds"), seed, o.integer("eval-every"),
                o.integer("threads"));
        Backends.Choice choice = Backends.choose(o.string("backend").isEmpty() ? Backends.setting() : o.string("backend"));
        Backend backend = choice.backend();
        System.err.println("backend " + backend.name() + ": " + choice.reason());
        System.err.printf(Locale.ROOT, "simulating %s %s, training %s: %s, %s %s (%d parameters), %d of %d clients per "
                        + "round, %d rounds, backend %s, %d threads%n",
                name, new TreeMap<>(strategyParams), trainingConfig, data.name(), architecture.name(), modelParams,
                architecture.spec().parameterCount(), perRound, clients, settings.rounds(), backend.name(),
                settings.threads());
        Progress progress = new Progress(System.err, settings.rounds());
        PrintWriter csv = o.string("csv").isEmpty() ? null : new PrintWriter(Files.newBufferedWriter(Path.of(o.string("csv"))));
        double[] last = {Double.NaN, Double.NaN};
        try {
            if (csv != null) {
                csv.println(csvHeader());
            }
            new SimulationRunner(architecture, SimulationRunner.numbered(data.clients()), data.test(), backend, protocol,
                    settings)
                    .run(architecture.initialize(seed), r -> {
                        if (!Double.isNaN(r.testAccuracy())) {
                            last[0] = r.testAccuracy();
                            last[1] = r.testLoss();
                        }
                        if (csv != null) {
                            csv.println(csvLine(r));
                            csv.flush();
                        }
                        progress.update(r.round(), String.format(Locale.ROOT, "round %d: test acc %.4f, loss %.4f, train loss %.4f",
                                r.round(), last[0], last[1], r.trainLoss()));
                    });
        } finally {
            if (csv != null) {
                csv.close();
            }
            backend.close();
        }
        System.out.printf(Locale.ROOT, "final test accuracy %.4f, test loss %.4f%n", last[0], last[1]);
    }

    private static void putIfGiven(Options o, String option, String field, Map<String, Object> into,
                                   java.util.function.Function<String, Object> parse) {
        String raw = o.string(option);
        if (raw.isEmpty()) {
            return;
        }
        try {
            into.put(field, parse.apply(raw));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be a number: " + raw);
        }
    }

    /** A strategy parameter as JSON would carry it: a number when it parses as one, else the word itself. */
    static Object numberOrWord(String raw) {
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            return raw;
        }
    }

    static String csvHeader() {
        return String.join(",", List.of("round", "participants", "test_accuracy", "test_loss", "train_loss", "bytes_up",
                "bytes_down", "seconds"));
    }

    static String csvLine(RoundRecord r) {
        return String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%d,%d,%.3f", r.round(), r.participants(), num(r.testAccuracy()),
                num(r.testLoss()), num(r.trainLoss()), r.bytesUp(), r.bytesDown(), r.seconds());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
