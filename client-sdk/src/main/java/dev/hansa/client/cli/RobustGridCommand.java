package dev.hansa.client.cli;

import dev.hansa.aggregation.attack.AttackNotApplicableException;
import dev.hansa.client.data.FashionMnist;
import dev.hansa.client.simulation.ByzantineBenchmark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code hansa robust-grid}: the grid of ByzFL's benchmark protocol ({@link ByzantineBenchmark}) in one JVM, runs in
 * parallel, one CSV row per finished run in {@code --results} and its accuracy curve in {@code --curves}. Resumable:
 * a run whose row is already in the results file is skipped, so an interrupted grid goes on where it stopped.
 *
 * <p>Runs go in this order, so that a grid cut short has whole cells: seed, then clipping bound (the first value is
 * the default, the others the validation sweep), heterogeneity, f, aggregator, attack. {@code --runs} replaces that
 * product with a list, such as the later seeds at the bound validation chose per cell
 * ({@code docs/experiments/robust_chosen.py}).
 */
public final class RobustGridCommand {

    static final String RESULTS_HEADER = "aggregator,f,heterogeneity,attack,seed,clip,lr,momentum,weight_decay,"
            + "batch,steps,final_test_accuracy,best_test_accuracy,final_val_accuracy,best_val_accuracy,seconds";
    static final String CURVES_HEADER = "aggregator,f,heterogeneity,attack,seed,clip,step,val_accuracy,test_accuracy";

    private RobustGridCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args) {
        Options o = options();
        try {
            if (!o.parse(args)) {
                System.out.print(o.usage("hansa robust-grid"));
                return 0;
            }
            return grid(o);
        } catch (IllegalArgumentException e) {
            System.err.println("hansa robust-grid: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("hansa robust-grid: " + e);
            return 1;
        }
    }

    static Options options() {
        return new Options()
                .option("results", "robust-grid.csv", "one row per finished run; runs already there are skipped")
                .option("curves", "robust-curves.csv", "validation and test accuracy of every run at each evaluation")
                .option("aggregators", "mean,median,trimmed-mean,geomed,krum,multi-krum,centered-clipping",
                        "rules, each behind clipping and NNM, comma separated")
                .option("f", "1,2,3,4", "Byzantine clients, comma separated")
                .option("heterogeneity", "iid,dirichlet:1.0,dirichlet:0.5,dirichlet:0.1",
                        "splits of the training data among the honest clients, comma separated (--partition's "
                                + "schemes; gamma:1,gamma:0.66,gamma:0.33,gamma:0 are ByzFL's levels)")
                .option("attacks", "sign-flipping,optimal-ipm,optimal-alie", "attacks, comma separated")
                .option("seeds", "1,2,3", "training seeds, comma separated")
                .option("clip", "0.2,1", "clipping bounds c, comma separated: the default first, then the values "
                        + "the validation sweep tries")
                .option("runs", "", "a CSV of the runs to make instead of the product of the lists above: "
                        + "aggregator,f,heterogeneity,attack,seed,clip per line (a results file's first six columns; "
                        + "a header line is skipped)")
                .option("honest", "10", "honest clients")
                .option("steps", "800", "rounds of one local step")
                .option("eval-every", "50", "steps between evaluations")
                .option("lr", "0.1", "learning rate")
                .option("momentum", "0.9", "worker momentum, kept across rounds")
                .option("weight-decay", "1e-4", "weight decay")
                .option("batch", "25", "batch size")
                .option("model", "mlp", "mlp, or cnn: ByzFL's cnn_mnist conv blocks with --hidden as its dense head "
                        + "(ByzFL's: 500); use other --results and --curves files for each model")
                .option("hidden", "200", "hidden layer widths of the MLP or of the CNN's dense head, comma separated")
                .option("validation", "6000", "training samples held out as the validation split")
                .option("data-seed", "1", "seed of the validation split and of the data's split among clients")
                .option("parallel", "1", "runs at a time (each on one thread)");
    }

    private static int grid(Options o) throws IOException {
        FashionMnist.Splits data = FashionMnist.load().orElseThrow(() -> new IllegalArgumentException(
                "Fashion-MNIST not found: install the Debian package dataset-fashion-mnist or set "
                        + "HANSA_FASHION_MNIST_DIR"));
        ByzantineBenchmark benchmark = new ByzantineBenchmark(data, new ByzantineBenchmark.Protocol(
                o.integer("honest"), o.integer("steps"), o.integer("eval-every"), o.real("lr"), o.real("momentum"),
                o.real("weight-decay"), o.integer("batch"), o.string("model"), integers(o, "hidden"),
                o.integer("validation"),
                o.longValue("data-seed")));
        Path results = Path.of(o.string("results"));
        Path curves = Path.of(o.string("curves"));
        Set<String> done = finished(results);
        List<ByzantineBenchmark.Run> todo = runs(o).stream().filter(r -> !done.contains(r.key())).toList();
        System.err.printf(Locale.ROOT, "robust-grid: %d runs to go, %d already in %s%n", todo.size(), done.size(),
                results);
        ensureHeader(results, RESULTS_HEADER);
        ensureHeader(curves, CURVES_HEADER);
        int parallel = o.integer("parallel");
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be >= 1: " + parallel);
        }
        Progress progress = new Progress(System.err, todo.size());
        int[] finishedCount = {0};
        int failures = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            List<Future<?>> futures = new ArrayList<>();
            for (ByzantineBenchmark.Run run : todo) {
                futures.add(pool.submit(() -> {
                    ByzantineBenchmark.Outcome outcome = benchmark.run(run);
                    synchronized (finishedCount) {
                        record(outcome, benchmark.protocol(), results, curves);
                        progress.update(++finishedCount[0], String.format(Locale.ROOT, "%s: best test %.4f, %.0fs",
                                run.key(), outcome.bestTest(), outcome.seconds()));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    failures++;
                    Throwable cause = e.getCause();
                    String why = cause instanceof AttackNotApplicableException ? "the attack cannot go on: " : "";
                    System.err.println("hansa robust-grid: a run failed: " + why + cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** Every run of the grid, in the order they go. */
    static List<ByzantineBenchmark.Run> runs(Options o) throws IOException {
        if (!o.string("runs").isEmpty()) {
            return listed(Path.of(o.string("runs")));
        }
        List<ByzantineBenchmark.Run> out = new ArrayList<>();
        for (long seed : longs(o, "seeds")) {
            for (double clip : reals(o, "clip")) {
                for (String heterogeneity : words(o, "heterogeneity")) {
                    for (int f : integers(o, "f")) {
                        for (String aggregator : words(o, "aggregators")) {
                            for (String attack : words(o, "attacks")) {
                                out.add(new ByzantineBenchmark.Run(aggregator, f, heterogeneity, attack, seed, clip));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The runs a {@code --runs} file lists, in its order. */
    static List<ByzantineBenchmark.Run> listed(Path file) throws IOException {
        List<ByzantineBenchmark.Run> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k).strip();
            if (line.isEmpty() || (k == 0 && line.startsWith("aggregator,"))) {
                continue;
            }
            String[] fields = line.split(",");
            String where = "--runs " + file + " line " + (k + 1);
            if (fields.length < 6) {
                throw new IllegalArgumentException(where + " needs aggregator,f,heterogeneity,attack,seed,clip: "
                        + line);
            }
            int f = parse(where + ": f must be an integer", fields[1], Integer::parseInt);
            long seed = parse(where + ": seed must be an integer", fields[4], Long::parseLong);
            double clip = parse(where + ": clip must be a number", fields[5], Double::parseDouble);
            out.add(new ByzantineBenchmark.Run(fields[0], f, fields[2], fields[3], seed, clip));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--runs " + file + " lists no run");
        }
        return out;
    }

    /** The keys of the runs already in {@code results}. */
    static Set<String> finished(Path results) throws IOException {
        Set<String> keys = new HashSet<>();
        if (Files.exists(results)) {
            for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
                String[] fields = line.split(",");
                if (fields.length >= 6 && !line.equals(RESULTS_HEADER)) {
                    keys.add(String.join(",", Arrays.copyOf(fields, 6)));
                }
            }
        }
        return keys;
    }

    private static void ensureHeader(Path file, String header) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
        }
    }

    /** Appends the run's curve, then its row: a row in the results file means its curve is complete. */
    private static void record(ByzantineBenchmark.Outcome outcome, ByzantineBenchmark.Protocol p, Path results,
                               Path curves) throws IOException {
        StringBuilder points = new StringBuilder();
        for (ByzantineBenchmark.Point point : outcome.curve()) {
            points.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.4f%n", outcome.run().key(), point.step(),
                    point.validationAccuracy(), point.testAccuracy()));
        }
        Files.writeString(curves, points, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        String row = String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%.4f,%.4f,%.4f,%.4f,%.1f%n", outcome.run().key(),
                p.learningRate(), p.momentum(), p.weightDecay(), p.batchSize(), p.steps(),
                outcome.last().testAccuracy(), outcome.bestTest(), outcome.last().validationAccuracy(),
                outcome.bestValidation(), outcome.seconds());
        Files.writeString(results, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static List<String> words(Options o, String name) {
        List<String> out = Arrays.stream(o.string(name).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " needs at least one value");
        }
        return out;
    }

    private static String list(String name) {
        return "--" + name + " must be numbers separated by commas";
    }

    private static List<Integer> integers(Options o, String name) {
        return words(o, name).stream().map(w -> parse(list(name), w, Integer::parseInt)).toList();
    }

    private static List<Long> longs(Options o, String name) {
        return words(o, name).stream().map(w -> parse(list(name), w, Long::parseLong)).toList();
    }

    private static List<Double> reals(Options o, String name) {
        return words(o, name).stream().map(w -> parse(list(name), w, Double::parseDouble)).toList();
    }

    /** {@code parser}'s value of {@code word}, or an error: {@code problem: word}. */
    private static <T> T parse(String problem, String word, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(word);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(problem + ": " + word);
        }
    }
}
