package dev.hansa.client.simulation;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.sampling.UniformSampler;
import dev.hansa.aggregation.strategy.ClientUpdate;
import dev.hansa.aggregation.strategy.GradientModel;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.RoundAggregator;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategies;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.StrategyState;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.model.Evaluation;
import dev.hansa.client.model.ModelArchitecture;
import dev.hansa.compute.Backend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Runs a federation of virtual clients in one process through the same {@link Strategy} and local procedures the
 * server and {@code HansaClient} use, without HTTP: sampling with the server's round seeds, planning, local training,
 * streaming aggregation in participant order, and the server update.
 *
 * <p>The participants of a round train in parallel on {@link Settings#threads()} workers. Each client owns its bound
 * model (and so its buffers) and its strategy state, the global model and the round's broadcast are only read, and
 * updates are folded in participant order once all have finished: the result is bit for bit the same for any number
 * of threads, given a backend whose kernels return the same bits for the same inputs (see docs/algorithms.md for
 * the CPU backend's vector reductions). For the same client ids, data, seeds and strategy it is also the model an HTTP federation on the server
 * produces when updates arrive in participant order (the server folds in arrival order).
 */
public final class SimulationRunner {

    /**
     * The federation's settings.
     *
     * @param evalEvery evaluate the global model on the test set every this many rounds (and after the last)
     * @param threads   workers that train a round's participants in parallel (and evaluate test shards)
     */
    public record Settings(int rounds, double clientFraction, int minClients, int maxClients, long seed, int evalEvery,
                           int threads) {
        public Settings {
            if (rounds < 1 || evalEvery < 1 || threads < 1) {
                throw new IllegalArgumentException("rounds, evalEvery and threads must be >= 1");
            }
        }
    }

    /** Test samples per evaluation shard; fixed, so the evaluation does not depend on the number of threads. */
    private static final int EVAL_SHARD = 1000;

    private final ModelArchitecture architecture;
    private final Backend backend;
    private final Strategy strategy;
    private final Settings settings;
    private final List<String> ids;
    private final Map<String, GradientModel> bound = new HashMap<>();
    private final List<Dataset> testShards;
    private final Map<String, StrategyState> clientStates = new HashMap<>();

    /**
     * @param clients each client's training data by client id; candidates are listed in id order, as the server
     *                lists live clients, so the same ids sample the same participants
     */
    public SimulationRunner(ModelArchitecture architecture, Map<String, Dataset> clients, Dataset test, Backend backend,
                            Strategy strategy, Settings settings) {
        this.architecture = architecture;
        this.backend = backend;
        this.strategy = strategy;
        this.settings = settings;
        Map<String, Dataset> sorted = new TreeMap<>(clients);
        this.ids = List.copyOf(sorted.keySet());
        sorted.forEach((id, data) -> bound.put(id, architecture.bind(data, backend)));
        this.testShards = shards(test);
    }

    /** Client ids {@code client-00000}, {@code client-00001}, ... for the datasets in order. */
    public static Map<String, Dataset> numbered(List<Dataset> clientData) {
        Map<String, Dataset> out = new LinkedHashMap<>();
        for (int i = 0; i < clientData.size(); i++) {
            out.put(String.format("client-%05d", i), clientData.get(i));
        }
        return out;
    }

    /**
     * Where a run ends: the final model, the server's strategy state and the state each client holds (clients that
     * never took part hold none).
     */
    public record Result(ModelWeights model, StrategyState serverState, Map<String, StrategyState> clientStates) {
        public Result {
            clientStates = Map.copyOf(clientStates);
        }
    }

    /** Runs every round from {@code initial} with fresh clients, reporting each round to {@code onRound}. */
    public Result run(ModelWeights initial, Consumer<RoundRecord> onRound) {
        clientStates.clear();
        ModelWeights model = initial;
        StrategyState state = strategy.initialState(initial);
        UniformSampler sampler = new UniformSampler(settings.clientFraction(), settings.minClients(), settings.maxClients());
        try (Workers workers = new Workers(settings.threads())) {
            for (int round = 1; round <= settings.rounds(); round++) {
                long start = System.nanoTime();
                long seed = RoundContext.seedFor(settings.seed(), round, 1);
                List<String> participants = sampler.sample(ids, seed);
                RoundContext context = new RoundContext(round, ids.size(), participants.size(), seed);
                RoundPlan plan = strategy.planRound(context, participants, model, state);
                ModelWeights global = model;
                List<Callable<LocalResult>> training = new ArrayList<>();
                for (String id : participants) {
                    TrainingPlan p = plan.plans().get(id);
                    StrategyState clientState = clientStates.getOrDefault(id, StrategyState.EMPTY);
                    training.add(() -> Strategies.localProcedure(p.strategy())
                            .train(bound.get(id), global, p, plan.broadcast(), clientState));
                }
                List<LocalResult> results = workers.all(training);
                RoundAggregator aggregate = strategy.newAggregator(context, model.spec());
                double trainLoss = 0;
                long bytesUp = 0;
                for (int i = 0; i < participants.size(); i++) {
                    String id = participants.get(i);
                    LocalResult r = results.get(i);
                    aggregate.add(new ClientUpdate(id, plan.plans().get(id).role(), r.upload(), r.numSamples(), r.metrics()));
                    clientStates.put(id, r.state());
                    trainLoss += r.metrics().getOrDefault("train_loss", Double.NaN);
                    bytesUp += Traffic.upload(r);
                }
                long bytesDown = participants.size() * (Traffic.model(model.spec())
                        + (plan.broadcast().isPresent() ? Traffic.broadcast(model.spec()) : 0));
                RoundResult result = strategy.finishRound(context, model, state, aggregate);
                model = result.model();
                state = result.state();
                Evaluation eval = round % settings.evalEvery() == 0 || round == settings.rounds()
                        ? evaluate(model, workers) : null;
                onRound.accept(new RoundRecord(round, participants.size(), eval == null ? Double.NaN : eval.accuracy(),
                        eval == null ? Double.NaN : eval.loss(), trainLoss / participants.size(), bytesUp, bytesDown,
                        (System.nanoTime() - start) / 1e9));
            }
        }
        return new Result(model, state, clientStates);
    }

    /** Test loss and accuracy, shard by shard in parallel, combined in shard order. */
    private Evaluation evaluate(ModelWeights model, Workers workers) {
        List<Callable<Evaluation>> tasks = testShards.stream()
                .map(shard -> (Callable<Evaluation>) () -> architecture.evaluate(model, shard, backend)).toList();
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
