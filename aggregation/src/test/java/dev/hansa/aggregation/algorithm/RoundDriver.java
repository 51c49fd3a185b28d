package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.ClientUpdate;
import dev.hansa.aggregation.strategy.LocalProcedure;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.RoundAggregator;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategies;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.StrategyState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs full-participation rounds in memory for tests, calling strategies exactly as a server would. */
final class RoundDriver {

    final Strategy strategy;
    final LocalProcedure local;
    final Map<String, QuadraticModel> clients;
    final Map<String, StrategyState> clientStates = new HashMap<>();
    ModelWeights model;
    StrategyState state;
    RoundResult last;
    RoundPlan lastPlan;

    RoundDriver(Strategy strategy, Map<String, QuadraticModel> clients, ModelWeights initial) {
        this.strategy = strategy;
        this.local = Strategies.localProcedure(strategy.name());
        this.clients = new LinkedHashMap<>(clients);
        this.model = initial;
        this.state = strategy.initialState(initial);
    }

    void run(int rounds) {
        for (int i = 0; i < rounds; i++) {
            step();
        }
    }

    void step() {
        long t = last == null ? 1 : (long) (last.metrics().getOrDefault("_round", 0.0) + 1);
        List<String> ids = new ArrayList<>(clients.keySet());
        RoundContext ctx = new RoundContext(t, ids.size(), ids.size(), 1000 + t);
        lastPlan = strategy.planRound(ctx, ids, model, state);
        RoundAggregator agg = strategy.newAggregator(ctx, model.spec());
        for (String id : ids) {
            var plan = lastPlan.plans().get(id);
            LocalResult r = local.train(clients.get(id), model, plan, lastPlan.broadcast(),
                    clientStates.getOrDefault(id, StrategyState.EMPTY));
            clientStates.put(id, r.state());
            agg.add(new ClientUpdate(id, plan.role(), r.upload(), r.numSamples(), r.metrics()));
        }
        RoundResult result = strategy.finishRound(ctx, model, state, agg);
        Map<String, Double> metrics = new HashMap<>(result.metrics());
        metrics.put("_round", (double) t);
        last = new RoundResult(result.model(), result.state(), metrics);
        model = result.model();
        state = result.state();
    }
}
