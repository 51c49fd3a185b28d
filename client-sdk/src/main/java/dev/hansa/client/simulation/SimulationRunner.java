package dev.hansa.client.simulation;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.model.Safetensors;
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
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a federation of virtual clients in one process through the same {@link Strategy} and local procedures the
 * server and {@code HansaClient} use, without HTTP: sampling with the server's round seeds, planning, local training,
 * streaming aggregation in participant order, and the server update. Deterministic for a seed.
 */
public final class SimulationRunner {

    /** The federation's settings. */
    public record Settings(int rounds, double clientFraction, int minClients, int maxClients, long seed, int evalEvery) {
        public Settings {
            if (rounds < 1 || evalEvery < 1) {
                throw new IllegalArgumentException("rounds and evalEvery must be >= 1");
            }
        }
    }

    private final ModelArchitecture architecture;
    private final List<Dataset> clientData;
    private final Dataset test;
    private final Backend backend;
    private final Strategy strategy;
    private final Settings settings;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, GradientModel> bound = new HashMap<>();
    private final Map<String, StrategyState> clientStates = new HashMap<>();

    public SimulationRunner(ModelArchitecture architecture, List<Dataset> clientData, Dataset test, Backend backend,
                            Strategy strategy, Settings settings) {
        this.architecture = architecture;
        this.clientData = List.copyOf(clientData);
        this.test = test;
        this.backend = backend;
        this.strategy = strategy;
        this.settings = settings;
        for (int i = 0; i < clientData.size(); i++) {
            ids.add(String.format("client-%05d", i));
        }
    }

    /** Runs every round from {@code initial}; returns the final model. */
    public ModelWeights run(ModelWeights initial, Consumer<RoundRecord> onRound) {
        ModelWeights model = initial;
        StrategyState state = strategy.initialState(initial);
        UniformSampler sampler = new UniformSampler(settings.clientFraction(), settings.minClients(), settings.maxClients());
        long modelBytes = Safetensors.write(initial, Map.of()).length;
        for (int round = 1; round <= settings.rounds(); round++) {
            long start = System.nanoTime();
            long seed = RoundContext.seedFor(settings.seed(), round, 1);
            List<String> participants = sampler.sample(ids, seed);
            RoundContext context = new RoundContext(round, ids.size(), participants.size(), seed);
            RoundPlan plan = strategy.planRound(context, participants, model, state);
            long broadcastBytes = plan.broadcast().map(b -> (long) Safetensors.write(b, Map.of()).length).orElse(0L);
            RoundAggregator aggregate = strategy.newAggregator(context, model.spec());
            double trainLoss = 0;
            long bytesUp = 0;
            for (String id : participants) {
                TrainingPlan p = plan.plans().get(id);
                LocalResult result = Strategies.localProcedure(p.strategy()).train(model(id), model, p, plan.broadcast(),
                        clientStates.getOrDefault(id, StrategyState.EMPTY));
                aggregate.add(new ClientUpdate(id, p.role(), result.upload(), result.numSamples(), result.metrics()));
                clientStates.put(id, result.state());
                trainLoss += result.metrics().getOrDefault("train_loss", Double.NaN);
                bytesUp += Safetensors.write(result.upload(), Map.of("num_samples", Long.toString(result.numSamples()))).length;
            }
            RoundResult result = strategy.finishRound(context, model, state, aggregate);
            model = result.model();
            state = result.state();
            Evaluation eval = round % settings.evalEvery() == 0 || round == settings.rounds()
                    ? architecture.evaluate(model, test, backend) : null;
            onRound.accept(new RoundRecord(round, participants.size(), eval == null ? Double.NaN : eval.accuracy(),
                    eval == null ? Double.NaN : eval.loss(), trainLoss / participants.size(), bytesUp,
                    participants.size() * (modelBytes + broadcastBytes), (System.nanoTime() - start) / 1e9));
        }
        return model;
    }

    private GradientModel model(String id) {
        return bound.computeIfAbsent(id, k -> architecture.bind(clientData.get(Integer.parseInt(k.substring(7))), backend));
    }
}
