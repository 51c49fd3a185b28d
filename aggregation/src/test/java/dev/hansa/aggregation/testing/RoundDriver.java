package dev.hansa.aggregation.testing;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.round.LocalFederation;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.sampling.UniformSampler;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Full-participation rounds in memory over quadratic clients, through the same {@link RoundProtocol} and
 * {@link LocalFederation} the simulation runs (sampler, plans, update pipeline, aggregation, server update).
 */
public final class RoundDriver {

    private static final long SEED = 1000;

    private final RoundProtocol protocol;
    private final Map<String, LocalFederation.Member> members = new LinkedHashMap<>();
    private final Map<String, QuadraticModel> clients;
    private LocalFederation federation;
    private LocalFederation.RoundReport last;
    private int round;

    /** Rounds whose updates travel as a federation of the strategy sends them when its config leaves them out. */
    public RoundDriver(Strategy strategy, Map<String, QuadraticModel> clients, Tensors initial) {
        this(strategy, clients, initial, RoundConfig.updateSpec(Strategies.defaultUpdate(strategy.name())));
    }

    /** Rounds whose clients prepare their updates with {@code update} (codec, error feedback). */
    public RoundDriver(Strategy strategy, Map<String, QuadraticModel> clients, Tensors initial, UpdateSpec update) {
        this.clients = new LinkedHashMap<>(clients);
        this.protocol = new RoundProtocol(strategy, new UniformSampler(1.0, clients.size(), clients.size()),
                update, AggregationPipeline.Settings.DEFAULT);
        ClientOptimizer optimizer = Strategies.clientOptimizer(strategy.name());
        clients.forEach((id, objective) -> members.put(id, LocalFederation.Member.of(optimizer, objective)));
        this.federation = new LocalFederation(protocol, SEED, members, initial, LocalFederation.Executor.SEQUENTIAL);
    }

    public void run(int rounds) {
        for (int i = 0; i < rounds; i++) {
            step();
        }
    }

    public void step() {
        last = federation.runRound(++round);
    }

    public Tensors model() {
        return federation.model();
    }

    public State serverState() {
        return federation.serverState();
    }

    public Map<String, QuadraticModel> clients() {
        return clients;
    }

    /** The bytes the last round's participants uploaded, as their codec counts them. */
    public long lastBytesUp() {
        return last.bytesUp();
    }

    /** The strategy's metrics of the last round. */
    public Map<String, Double> lastMetrics() {
        return last.metrics();
    }

    /** Passes every server and client state through {@code via} and continues from there, as after a restart. */
    public void reload(UnaryOperator<State> via) {
        LocalFederation.Checkpoint c = federation.checkpoint();
        Map<String, State> strategy = new HashMap<>();
        c.strategyStates().forEach((id, s) -> strategy.put(id, via.apply(s)));
        Map<String, State> pipeline = new HashMap<>();
        c.pipelineStates().forEach((id, s) -> pipeline.put(id, via.apply(s)));
        federation = LocalFederation.resume(protocol, SEED, members, new LocalFederation.Checkpoint(c.model(),
                via.apply(c.serverState()), strategy, pipeline), LocalFederation.Executor.SEQUENTIAL);
    }
}
