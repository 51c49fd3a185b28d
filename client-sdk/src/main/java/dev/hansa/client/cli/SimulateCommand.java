package dev.hansa.client.cli;

import dev.hansa.aggregation.attack.Adversary;
import dev.hansa.aggregation.attack.AttackNotApplicableException;
import dev.hansa.aggregation.attack.Attacks;
import dev.hansa.aggregation.dp.NoiseSource;
import dev.hansa.aggregation.dp.TreePrivacy;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.client.privacy.LocalBudgetExhaustedException;
import dev.hansa.client.privacy.LocalDpConfig;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code hansa simulate}: N virtual clients in one process through the same strategy code as the server. */
public final class SimulateCommand {

    private SimulateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args) {
        Options o = options();
        try {
            if (!o.parse(args)) {
                System.out.print(o.usage("hansa simulate"));
                return 0;
            }
            simulate(FederationOptions.read(o), o);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("hansa simulate: " + e.getMessage());
            return 2;
        } catch (LocalBudgetExhaustedException e) {
            System.err.println("hansa simulate: a client refused to train: " + e.getMessage());
            return 1;
        } catch (AttackNotApplicableException e) {
            System.err.println("hansa simulate: the attack cannot go on: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("hansa simulate: " + e);
            return 1;
        }
    }

    /** The command's flags: the shared federation flags and the simulation's own. */
    static Options options() {
        return PrivacyOptions.declare(FederationOptions.declare(new Options(),
                        FederationOptions.Defaults.fromStrategy(100, 100)))
                .option("per-round", "10", "clients sampled per round")
                .option("eval-every", "1", "evaluate the global model every k rounds (and after the last)")
                .option("threads", Integer.toString(Runtime.getRuntime().availableProcessors()),
                        "workers training a round's clients in parallel (results do not depend on it)")
                .option("csv", "", "write per-round metrics to this CSV file")
                .option("byzantine", "0", "how many of the clients are Byzantine (drawn from the seed)")
                .option("attack", "", "what the Byzantine clients do: one of " + Attacks.names())
                .option("attack-params", "", "the attack's parameters: k=v[,k=v...]");
    }

    private static void simulate(FederationOptions f, Options o) throws IOException {
        FederatedData data = f.loadData(msg -> System.err.println("note: " + msg));
        Map<String, Object> modelParams = f.modelParams(data);
        TrainableModel architecture = TrainableModels.create(f.model(), modelParams);
        TrainingConfig trainingConfig = f.trainingConfig();
        int perRound = o.integer("per-round");
        Map<String, Object> privacy = PrivacyOptions.section(o);
        Map<String, Object> localPrivacy = PrivacyOptions.localSection(o);
        // Seeded like the server's noise in a simulation, so a run repeats itself.
        LocalDpConfig localDp = localPrivacy.isEmpty() ? null : LocalDpConfig.fromMap(localPrivacy, true);
        boolean ftrl = "dp-ftrl".equals(privacy.get("mechanism"));
        double fraction = privacy.get("samplingRate") instanceof Double q ? q : (double) perRound / f.clients();
        if (ftrl) {
            // No sampling: every client the participation limit admits, up to --per-round, in every round.
            privacy.put("clientsPerRound", perRound);
        }
        RoundConfig.Configured rounds = ftrl ? f.rounds(1.0, 1, perRound, privacy)
                : f.rounds(fraction, perRound, perRound, privacy);
        Optional<Adversary> adversary = Adversary.fromMap(byzantineSection(o),
                SimulationRunner.ids(data.clients().size()), f.seed());
        var settings = new SimulationRunner.Settings(f.rounds(), f.seed(), o.integer("eval-every"), o.integer("threads"));
        // Each worker trains its own client: the CPU backend gets the cores the workers leave, at least one thread.
        Backends.Choice choice = f.chooseBackend(Math.max(1, Runtime.getRuntime().availableProcessors() / settings.threads()));
        Backend backend = choice.backend();
        System.err.println("backend " + backend.name() + ": " + choice.reason());
        System.err.printf(Locale.ROOT, "simulating %s %s, training %s%s, %s, byzantine %s: %s, %s %s (%d parameters), "
                        + "%d of %d clients per round, %d rounds, backend %s, %d threads%n",
                f.strategy(), new TreeMap<>(rounds.effectiveStrategyParams()), trainingConfig,
                localDp == null ? "" : " by local DP-SGD " + localDp, rounds.pipeline(),
                adversary.map(Adversary::toMap).orElse(Map.of()), data.name(), architecture.name(), modelParams,
                architecture.spec().parameterCount(), perRound, f.clients(), settings.rounds(), backend.name(),
                settings.threads());
        Progress progress = new Progress(System.err, settings.rounds());
        PrintWriter csv = o.string("csv").isEmpty() ? null : new PrintWriter(Files.newBufferedWriter(Path.of(o.string("csv"))));
        double[] last = {Double.NaN, Double.NaN};
        try {
            if (csv != null) {
                csv.println(csvHeader());
            }
            // The noise follows the federation's seed, so a run repeats itself (a deployment's never does).
            SimulationRunner.Result result = new SimulationRunner(architecture,
                    SimulationRunner.numbered(data.clients()), data.test(), backend,
                    rounds.protocol().withNoise(NoiseSource.SEEDED).withTreeSecret(TreePrivacy.seededSecret(f.seed())),
                    settings, adversary.orElse(null), localDp)
                    .run(architecture.initialize(f.seed()), r -> {
                        if (!Double.isNaN(r.testAccuracy())) {
                            last[0] = r.testAccuracy();
                            last[1] = r.testLoss();
                        }
                        if (csv != null) {
                            csv.println(csvLine(r));
                            csv.flush();
                        }
                        progress.update(r.round(), progressStatus(r));
                    });
            result.stopped().ifPresent(reason -> System.err.println("stopped: " + reason));
        } finally {
            if (csv != null) {
                csv.close();
            }
            backend.close();
        }
        System.out.printf(Locale.ROOT, "final test accuracy %.4f, test loss %.4f%n", last[0], last[1]);
    }

    /** The {@code byzantine} section of {@code --byzantine}, {@code --attack} and {@code --attack-params}. */
    static Map<String, Object> byzantineSection(Options o) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("clients", o.integer("byzantine"));
        if (!o.string("attack").isEmpty()) {
            section.put("attack", o.string("attack"));
        }
        Map<String, Object> params = ParamList.parameters("--attack-params", o.string("attack-params"));
        if (!params.isEmpty()) {
            section.put("attackParams", params);
        }
        return section;
    }

    /**
     * A round's progress; the test metrics only for rounds that evaluated the model (see --eval-every), the refused
     * updates only when there were some, the epsilon spent only in a DP federation (with the PLD accountant's
     * beside it in rounds that evaluated), the largest client's local epsilon only under local DP-SGD.
     */
    static String progressStatus(RoundRecord r) {
        String test = Double.isNaN(r.testAccuracy()) ? ""
                : String.format(Locale.ROOT, " test acc %.4f, loss %.4f,", r.testAccuracy(), r.testLoss());
        String rejected = r.rejected() == 0 ? "" : ", " + r.rejected() + " updates refused";
        String epsilon = Double.isNaN(r.epsilon()) ? "" : String.format(Locale.ROOT, ", epsilon %.3f", r.epsilon())
                + (Double.isNaN(r.epsilonPld()) ? "" : String.format(Locale.ROOT, " (PLD %.3f)", r.epsilonPld()));
        String local = Double.isNaN(r.localEpsilon()) ? ""
                : String.format(Locale.ROOT, ", local epsilon %.3f", r.localEpsilon());
        return String.format(Locale.ROOT, "round %d:%s train loss %.4f%s%s%s", r.round(), test, r.trainLoss(), rejected,
                epsilon, local);
    }

    static String csvHeader() {
        return String.join(",", List.of("round", "participants", "test_accuracy", "test_loss", "train_loss", "bytes_up",
                "bytes_down", "seconds", "byzantine", "rejected", "epsilon", "epsilon_pld", "local_epsilon"));
    }

    static String csvLine(RoundRecord r) {
        return String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%d,%d,%.3f,%d,%d,%s,%s,%s", r.round(), r.participants(),
                num(r.testAccuracy()), num(r.testLoss()), num(r.trainLoss()), r.bytesUp(), r.bytesDown(), r.seconds(),
                r.byzantine(), r.rejected(), num(r.epsilon()), num(r.epsilonPld()), num(r.localEpsilon()));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
