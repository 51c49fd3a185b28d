package dev.hansa.client.simulation;

import dev.hansa.aggregation.attack.Adversary;
import dev.hansa.aggregation.attack.Attack;
import dev.hansa.aggregation.dp.CentralPrivacy;
import dev.hansa.aggregation.dp.TreePrivacy;
import dev.hansa.aggregation.round.LocalFederation;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.privacy.LocalDpConfig;
import dev.hansa.client.privacy.LocalDpSgd;
import dev.hansa.client.privacy.LocalPrivacyAccount;
import dev.hansa.client.training.Evaluation;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.compute.Backend;
import dev.hansa.privacy.accounting.PldAccountant;
import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.mechanism.DpFedAvgSettings;
import dev.hansa.privacy.mechanism.DpFtrlSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Runs a federation of virtual clients in one process through the same {@link RoundProtocol} the server uses and
 * the same client halves {@code HansaClient} runs (client optimizer, update pipeline, codec), without HTTP: a
 * {@link LocalFederation} of the built-in trainer on each client's data, plus evaluation of the global model.
 *
 * <p>The participants of a round train in parallel on {@link Settings#threads()} workers. Each client owns its
 * objective (and so its buffers) and its state, the global model and the round's broadcast are only read, and updates
 * are aggregated in participant order once all have finished: the result is bit for bit the same for any number of
 * threads, given a backend whose kernels return the same bits for the same inputs (see docs/algorithms.md for the CPU
 * backend's vector reductions). For the same client ids, data, seeds and configuration it is also the model an HTTP
 * federation on the server produces when updates arrive in participant order (the server aggregates in arrival
 * order).
 *
 * <p>With an {@link Adversary}, some clients are Byzantine ({@link LocalFederation}); under label flipping they train
 * on their data with flipped labels.
 *
 * <p>In a DP federation ({@link RoundProtocol#privacy()}) the runner keeps the RDP accountant: each round reports the
 * epsilon spent so far, and the run stops before a round that would take it past the budget, as the server does.
 *
 * <p>With a {@link LocalDpConfig}, every client trains by local DP-SGD with its own {@link LocalPrivacyAccount};
 * each round reports the largest example-level epsilon any client has spent.
 */
public final class SimulationRunner {

    /**
     * The run's settings.
     *
     * @param seed      the federation seed (sampling, plans)
     * @param evalEvery evaluate the global model on the test set every this many rounds (and after the last)
     * @param threads   workers that train a round's participants in parallel (and evaluate test shards)
     */
    public record Settings(int rounds, long seed, int evalEvery, int threads) {
        public Settings {
            if (rounds < 1 || evalEvery < 1 || threads < 1) {
                throw new IllegalArgumentException("rounds, evalEvery and threads must be >= 1");
            }
        }
    }

    /** Test samples per evaluation shard; fixed, so the evaluation does not depend on the number of threads. */
    private static final int EVAL_SHARD = 1000;

    private final TrainableModel model;
    private final Backend backend;
    private final RoundProtocol protocol;
    private final Settings settings;
    private final Adversary adversary;
    private final Map<String, LocalFederation.Member> members = new LinkedHashMap<>();
    private final List<LocalPrivacyAccount> localAccounts = new ArrayList<>();
    private final List<Dataset> testShards;

    /**
     * @param clients each client's training data by client id; candidates are listed in id order, as the server
     *                lists live clients, so the same ids sample the same participants
     */
    public SimulationRunner(TrainableModel model, Map<String, Dataset> clients, Dataset test, Backend backend,
                            RoundProtocol protocol, Settings settings) {
        this(model, clients, test, backend, protocol, settings, null);
    }

    /** A run in which {@code adversary}'s clients (ids of {@code clients}) attack; null for none. */
    public SimulationRunner(TrainableModel model, Map<String, Dataset> clients, Dataset test, Backend backend,
                            RoundProtocol protocol, Settings settings, Adversary adversary) {
        this(model, clients, test, backend, protocol, settings, adversary, null);
    }

    /** A run whose clients train by local DP-SGD under {@code localDp} (null: their strategy's optimizer). */
    public SimulationRunner(TrainableModel model, Map<String, Dataset> clients, Dataset test, Backend backend,
                            RoundProtocol protocol, Settings settings, Adversary adversary, LocalDpConfig localDp) {
        this.model = model;
        this.backend = backend;
        this.protocol = protocol;
        this.settings = settings;
        this.adversary = adversary;
        ClientOptimizer optimizer = Strategies.clientOptimizer(protocol.strategy().name());
        clients.forEach((id, data) -> {
            boolean flips = adversary != null && adversary.controls(id)
                    && adversary.attack().training() == Attack.Training.FLIPPED_LABELS;
            members.put(id, LocalFederation.Member.of(localDp == null ? optimizer : localDpSgd(localDp, data),
                    model.bind(flips ? data.withFlippedLabels() : data, backend)));
        });
        this.testShards = shards(test);
        protocol.privacy().ifPresent(p -> p.settings().checkPopulation(clients.size(), "the simulation's clients"));
        protocol.tree().ifPresent(t -> t.settings().checkPopulation(clients.size(), "the simulation's clients"));
    }

    /** A client's own local DP-SGD with a fresh account of its own. */
    private ClientOptimizer localDpSgd(LocalDpConfig localDp, Dataset data) {
        localDp.checkExamples(data.size());
        LocalPrivacyAccount account = new LocalPrivacyAccount(localDp.delta(), localDp.epsilon());
        localAccounts.add(account);
        return new LocalDpSgd(protocol.strategy().name(), localDp, account);
    }

    /** The largest example-level epsilon any client has spent; NaN without local DP. */
    private double localEpsilon() {
        return localAccounts.stream().mapToDouble(LocalPrivacyAccount::epsilon).max().orElse(Double.NaN);
    }

    /** Client ids {@code client-00000}, {@code client-00001}, ... for the datasets in order. */
    public static Map<String, Dataset> numbered(List<Dataset> clientData) {
        List<String> ids = ids(clientData.size());
        Map<String, Dataset> out = new LinkedHashMap<>();
        for (int i = 0; i < clientData.size(); i++) {
            out.put(ids.get(i), clientData.get(i));
        }
        return out;
    }

    /** The ids {@link #numbered} gives {@code count} clients. */
    public static List<String> ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("client-%05d", i)).toList();
    }

    /**
     * Where a run ends: the final model, the server's strategy state and the strategy state each client holds
     * (clients that never took part hold none), and why it stopped early, if it did (the privacy budget).
     */
    public record Result(Tensors model, State serverState, Map<String, State> clientStates, Optional<String> stopped) {
        public Result {
            clientStates = Map.copyOf(clientStates);
        }
    }

    /** Runs every round from {@code initial} with fresh clients, reporting each round to {@code onRound}. */
    public Result run(Tensors initial, Consumer<RoundRecord> onRound) {
        return run(initial, onRound, (round, model) -> { });
    }

    /**
     * As {@link #run(Tensors, Consumer)}, also handing {@code onEvaluated} the global model of every round that
     * evaluated it on the test set, before {@code onRound} hears of the round: for evaluations of the caller's own
     * (a validation split).
     */
    public Result run(Tensors initial, Consumer<RoundRecord> onRound, BiConsumer<Integer, Tensors> onEvaluated) {
        try (Workers workers = new Workers(settings.threads())) {
            LocalFederation federation = new LocalFederation(protocol, settings.seed(), members, initial, workers,
                    adversary);
            Optional<CentralPrivacy> privacy = protocol.privacy();
            Optional<DpFedAvgSettings> dp = privacy.map(CentralPrivacy::settings);
            Optional<DpFtrlSettings> ftrl = protocol.tree().map(TreePrivacy::settings);
            RdpAccountant spent = RdpAccountant.empty();
            PldAccountant tighter = PldAccountant.empty();
            for (int round = 1; round <= settings.rounds(); round++) {
                int closed = round - 1;
                Optional<String> refusal = privacy.isPresent() ? privacy.get().refusal(spent, round)
                        : ftrl.flatMap(t -> t.refusal(closed));
                if (refusal.isPresent()) {
                    return new Result(federation.model(), federation.serverState(), federation.clientStates(), refusal);
                }
                long start = System.nanoTime();
                LocalFederation.RoundReport report = federation.runRound(round);
                if (privacy.isPresent()) {
                    spent = spent.compose(privacy.get().event(round));
                    tighter = tighter.compose(privacy.get().event(round));
                }
                double epsilon = dp.isPresent() ? spent.epsilon(dp.get().delta())
                        : ftrl.map(t -> t.accountant(closed + 1).epsilon(t.delta())).orElse(Double.NaN);
                long bytesDown = report.participants() * (Traffic.download(initial.spec())
                        + (report.broadcast() ? Traffic.broadcast(initial.spec()) : 0));
                Evaluation eval = round % settings.evalEvery() == 0 || round == settings.rounds()
                        ? evaluate(federation.model(), workers) : null;
                if (eval != null) {
                    onEvaluated.accept(round, federation.model());
                }
                double epsilonPld = dp.isPresent() && eval != null ? tighter.epsilon(dp.get().delta()) : Double.NaN;
                onRound.accept(new RoundRecord(round, report.participants(), eval == null ? Double.NaN : eval.accuracy(),
                        eval == null ? Double.NaN : eval.loss(), report.trainLoss(), report.bytesUp(), bytesDown,
                        (System.nanoTime() - start) / 1e9, report.byzantine(), report.rejected(), epsilon,
                        epsilonPld, localEpsilon()));
            }
            return new Result(federation.model(), federation.serverState(), federation.clientStates(),
                    Optional.empty());
        }
    }

    /** Test loss and accuracy, shard by shard in parallel, combined in shard order. */
    private Evaluation evaluate(Tensors weights, Workers workers) {
        List<Callable<Evaluation>> tasks = testShards.stream()
                .map(shard -> (Callable<Evaluation>) () -> model.evaluate(weights, shard, backend)).toList();
        double loss = 0;
        long correct = 0;
        int samples = 0;
        for (Evaluation e : workers.all(tasks)) {
            loss += e.loss() * e.samples();
            correct += Math.round(e.accuracy() * e.samples());
            samples += e.samples();
        }
        return new Evaluation(loss / samples, (double) correct / samples, samples);
    }

    private static List<Dataset> shards(Dataset test) {
        List<Dataset> out = new ArrayList<>();
        for (int from = 0; from < test.size(); from += EVAL_SHARD) {
            out.add(test.subset(IntStream.range(from, Math.min(test.size(), from + EVAL_SHARD)).toArray()));
        }
        return out;
    }
}
