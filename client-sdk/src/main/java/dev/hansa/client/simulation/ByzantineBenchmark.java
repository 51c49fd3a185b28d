package dev.hansa.client.simulation;

import dev.hansa.aggregation.architecture.Architecture;
import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.aggregation.attack.Adversary;
import dev.hansa.aggregation.attack.Attacks;
import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.FashionMnist;
import dev.hansa.client.data.Partitioner;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.Backend;
import dev.hansa.compute.Backends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One run of ByzFL's benchmark protocol (byzfl/benchmark) on Fashion-MNIST with Hansa's simulation: {@code honest}
 * clients holding the training data, split by a heterogeneity level, plus f Byzantine ones that hold none and
 * forge their updates; every client takes part in every round and makes one local step of momentum SGD (ByzFL's
 * DSGD: one step of batch 25 per client and round, the momentum kept across rounds), and the server applies the
 * robust rule's output unweighted, as ByzFL's honest-plus-Byzantine averaging does. The defence in front of every
 * rule is static clipping then NNM. A fixed part of the training set is held out as the validation split on which
 * hyperparameters are chosen; accuracy on it and on the test set is recorded every {@code evalEvery} steps.
 */
public final class ByzantineBenchmark {

    /**
     * ByzFL's geometric-median smoothing, in units of its momentum vectors. The updates here are those vectors times
     * the learning rate, and Weiszfeld's smoothing scales with its input (the median of lr x is lr times the median
     * of x with nu / lr), so the runs use lr times it. With the rule's default nu = 0.1, ten times ByzFL's smoothing
     * at lr 0.1, the grid's geometric median matched the mean's accuracies to four decimals.
     */
    static final double BYZFL_GEOMED_NU = 0.1;

    /**
     * What every run shares.
     *
     * @param honest     honest clients (ByzFL: 10)
     * @param steps      rounds, one local step each (ByzFL: 800)
     * @param evalEvery  steps between evaluations on the validation and test sets
     * @param model      {@code mlp}, or {@code cnn}: ByzFL's {@code cnn_mnist} conv blocks (20 and 50 channels, 5 x 5
     *                   kernels) on the 1 x 28 x 28 images, with {@code hidden} as its dense head (ByzFL: 500)
     * @param hidden     hidden layer widths of the MLP or of the CNN's dense head
     * @param dataSeed   seed of the validation split and of the split among clients (one data distribution, as
     *                   ByzFL's {@code nb_data_distribution_seeds} = 1)
     */
    public record Protocol(int honest, int steps, int evalEvery, double learningRate, double momentum,
                           double weightDecay, int batchSize, String model, List<Integer> hidden, int validationSize,
                           long dataSeed) {
        public Protocol {
            if (!model.equals("mlp") && !model.equals(ConvArchitecture.NAME)) {
                throw new IllegalArgumentException("--model must be mlp or cnn: " + model);
            }
            hidden = List.copyOf(hidden);
        }

        /** The model for images of {@code features} values in {@code classes} classes. */
        Architecture architecture(int features, int classes) {
            int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
            if (model.equals(ConvArchitecture.NAME)) {
                return ConvArchitecture.mnist(widths, classes);
            }
            return DenseArchitecture.mlp(features, widths, classes);
        }
    }

    /**
     * One cell of the grid.
     *
     * @param heterogeneity a partition as {@code simulate --partition} names it: iid or dirichlet:ALPHA
     * @param seed          the training seed: model initialisation, batches, which client ids are Byzantine
     * @param clip          static clipping's bound c, in units of the update (learning rate times the momentum)
     */
    public record Run(String aggregator, int f, String heterogeneity, String attack, long seed, double clip) {

        /** The run's identity in a results file: every field, comma separated. */
        public String key() {
            return String.format(Locale.ROOT, "%s,%d,%s,%s,%d,%s", aggregator, f, heterogeneity, attack, seed,
                    clip);
        }
    }

    /** Accuracy after {@code step} steps. */
    public record Point(int step, double validationAccuracy, double testAccuracy) {
    }

    /**
     * A finished run.
     *
     * @param seconds wall time of the run
     */
    public record Outcome(Run run, List<Point> curve, double seconds) {
        public Outcome {
            curve = List.copyOf(curve);
        }

        public Point last() {
            return curve.getLast();
        }

        public double bestTest() {
            return curve.stream().mapToDouble(Point::testAccuracy).max().orElseThrow();
        }

        public double bestValidation() {
            return curve.stream().mapToDouble(Point::validationAccuracy).max().orElseThrow();
        }
    }

    private final Protocol protocol;
    private final Dataset pool;
    private final Dataset validation;
    private final Dataset test;
    private final Map<String, List<Dataset>> partitions = new LinkedHashMap<>();

    /** Holds out {@code protocol.validationSize()} samples of the training set, drawn with the data seed. */
    public ByzantineBenchmark(FashionMnist.Splits data, Protocol protocol) {
        this.protocol = protocol;
        Dataset train = data.train();
        int[] order = permutation(train.size(), new SplittableRandom(protocol.dataSeed()));
        this.validation = train.subset(Arrays.copyOfRange(order, 0, protocol.validationSize()));
        int[] rest = Arrays.copyOfRange(order, protocol.validationSize(), order.length);
        Arrays.sort(rest);
        this.pool = train.subset(rest);
        this.test = data.test();
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The honest clients' data for a heterogeneity level (computed once per level; thread-safe). */
    private synchronized List<Dataset> partition(String heterogeneity) {
        return partitions.computeIfAbsent(heterogeneity, h -> Partitioner.parse(h)
                .split(pool, protocol.honest(), protocol.dataSeed()).stream().map(pool::subset).toList());
    }

    /** Runs {@code run} on the calling thread (one CPU thread for kernels and clients alike). */
    public Outcome run(Run run) {
        long start = System.nanoTime();
        List<String> ids = SimulationRunner.ids(protocol.honest() + run.f());
        Set<String> byzantine = Adversary.drawn(ids, run.f(), run.seed());
        Adversary adversary = new Adversary(byzantine, Attacks.create(run.attack(),
                new Hyperparameters("byzantine.attackParams", run.attack(), Map.of())));
        Map<String, Dataset> clients = new LinkedHashMap<>();
        List<Dataset> honestData = partition(run.heterogeneity());
        int next = 0;
        for (String id : ids) {
            // A Byzantine client trains on nothing; it holds one sample only because every member holds data.
            clients.put(id, byzantine.contains(id) ? pool.subset(new int[] {0}) : honestData.get(next++));
        }
        TrainableModel model = TrainableModels.of(protocol.architecture(test.featureCount(), test.numClasses()));
        List<Point> curve = new ArrayList<>();
        double[] validationAccuracy = {Double.NaN};
        try (Backend backend = Backends.choose("cpu", 1).backend()) {
            SimulationRunner runner = new SimulationRunner(model, clients, test, backend,
                    configure(run, ids.size()).protocol(),
                    new SimulationRunner.Settings(protocol.steps(), run.seed(), protocol.evalEvery(), 1), adversary);
            runner.run(model.initialize(run.seed()), r -> {
                if (!Double.isNaN(r.testAccuracy())) {
                    curve.add(new Point(r.round(), validationAccuracy[0], r.testAccuracy()));
                }
            }, (round, weights) -> validationAccuracy[0] = model.evaluate(weights, validation, backend).accuracy());
        }
        return new Outcome(run, curve, (System.nanoTime() - start) / 1e9);
    }

    /**
     * FedAvg with unweighted means, one local step of momentum SGD, clipping and NNM in front of the rule; the
     * geometric median with ByzFL's smoothing in the updates' units ({@link #BYZFL_GEOMED_NU}).
     */
    private RoundConfig.Configured configure(Run run, int clients) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("learningRate", protocol.learningRate());
        training.put("batchSize", protocol.batchSize());
        training.put("localSteps", 1);
        training.put("params", Map.of(TrainingConfig.WORKER_MOMENTUM, protocol.momentum(),
                TrainingConfig.WEIGHT_DECAY, protocol.weightDecay()));
        Map<String, Object> robustness = new LinkedHashMap<>();
        robustness.put("aggregator", run.aggregator());
        robustness.put("f", run.f());
        robustness.put("preAggregators", List.of(Map.of("name", "clipping", "c", run.clip()), Map.of("name", "nnm")));
        if (run.aggregator().equals("geomed")) {
            robustness.put("aggregatorParams", Map.of("nu", BYZFL_GEOMED_NU * protocol.learningRate()));
        }
        return RoundConfig.configure("fedavg", Map.of("weighting", "uniform"), training, Map.of(), robustness,
                new RoundConfig.Sampling("uniform", 1.0, clients, clients));
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
