package dev.hansa.aggregation.round;

import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.ClientOptimizer;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.InvalidUpdateException;
import dev.hansa.aggregation.update.Update;
import dev.hansa.aggregation.update.UpdateMetadata;
import dev.hansa.aggregation.update.UpdatePipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * A federation whose clients run in this process: the simulation runner and the tests drive rounds through it with
 * the same {@link RoundProtocol} the server uses and the same client halves a {@code HansaClient} runs (client
 * optimizer, update pipeline, codec). Updates are aggregated in participant order, so for the same ids, data, seeds
 * and configuration the result is the model an HTTP federation produces when its updates arrive in that order.
 * A client's strategy and pipeline state advance only when the server side admitted its update, as on the server.
 */
public final class LocalFederation {

    /** A client in process. */
    public interface Member {
        /** Local training: what its {@code ClientOptimizer} returns for this plan. */
        LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state);

        /** The sample count it declares to the server, the bound on what its updates may claim. */
        long declaredSamples();

        /** A client that trains {@code objective} with its strategy's {@code optimizer} and declares its sample count. */
        static Member of(ClientOptimizer optimizer, Objective objective) {
            return new Member() {
                @Override
                public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state) {
                    return optimizer.train(objective, global, plan, broadcast, state);
                }

                @Override
                public long declaredSamples() {
                    return objective.numSamples();
                }
            };
        }
    }

    /** Runs independent tasks and returns their results in task order (a worker pool, or the caller's thread). */
    public interface Executor {
        <T> List<T> all(List<Callable<T>> tasks);

        Executor SEQUENTIAL = new Executor() {
            @Override
            public <T> List<T> all(List<Callable<T>> tasks) {
                List<T> out = new ArrayList<>(tasks.size());
                for (Callable<T> task : tasks) {
                    try {
                        out.add(task.call());
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return out;
            }
        };
    }

    /**
     * What a round did.
     *
     * @param participants clients sampled
     * @param rejected     updates the server side refused (their clients' state did not advance)
     * @param trainLoss    mean of the participants' {@code train_loss} (NaN when none reported one)
     * @param bytesUp      bytes the participants' encoded updates would move
     * @param broadcast    whether the round sent tensors besides the model
     * @param metrics      the strategy's round metrics
     */
    public record RoundReport(int round, int participants, int rejected, double trainLoss, long bytesUp,
                              boolean broadcast, Map<String, Double> metrics) {
    }

    private final RoundProtocol protocol;
    private final long federationSeed;
    private final Map<String, Member> members;
    private final List<String> ids;
    private final Executor executor;
    private final UpdatePipeline pipeline;
    private final Map<String, State> strategyStates = new HashMap<>();
    private final Map<String, State> pipelineStates = new HashMap<>();
    private Tensors model;
    private State serverState;

    /**
     * Everything the federation holds between rounds: enough to persist it and {@link #resume} it later.
     *
     * @param strategyStates each client's strategy state
     * @param pipelineStates each client's update-pipeline state (error-feedback residuals, ...)
     */
    public record Checkpoint(Tensors model, State serverState, Map<String, State> strategyStates,
                             Map<String, State> pipelineStates) {
        public Checkpoint {
            strategyStates = Map.copyOf(strategyStates);
            pipelineStates = Map.copyOf(pipelineStates);
        }
    }

    /** @param members the clients by id; candidates are listed in id order, as the server lists live clients */
    public LocalFederation(RoundProtocol protocol, long federationSeed, Map<String, ? extends Member> members,
                           Tensors initial, Executor executor) {
        this(protocol, federationSeed, members, new Checkpoint(initial, protocol.strategy().initialState(initial),
                Map.of(), Map.of()), executor);
    }

    private LocalFederation(RoundProtocol protocol, long federationSeed, Map<String, ? extends Member> members,
                            Checkpoint from, Executor executor) {
        this.protocol = protocol;
        this.federationSeed = federationSeed;
        this.members = new TreeMap<>(members);
        this.ids = List.copyOf(this.members.keySet());
        this.executor = executor;
        this.pipeline = UpdatePipeline.of(protocol.update());
        this.model = from.model();
        this.serverState = from.serverState();
        this.strategyStates.putAll(from.strategyStates());
        this.pipelineStates.putAll(from.pipelineStates());
    }

    /** A federation that continues from {@code checkpoint}, as a restarted server continues from PostgreSQL. */
    public static LocalFederation resume(RoundProtocol protocol, long federationSeed,
                                         Map<String, ? extends Member> members, Checkpoint checkpoint, Executor executor) {
        return new LocalFederation(protocol, federationSeed, members, checkpoint, executor);
    }

    public Checkpoint checkpoint() {
        return new Checkpoint(model, serverState, strategyStates, pipelineStates);
    }

    public Tensors model() {
        return model;
    }

    public State serverState() {
        return serverState;
    }

    /** The strategy state each client holds (clients that never took part hold none). */
    public Map<String, State> clientStates() {
        return Map.copyOf(strategyStates);
    }

    /** One participant's work: training and preparing its update, as its device would. */
    private record Prepared(LocalResult result, UpdatePipeline.Prepared update) {
    }

    /**
     * Runs round {@code number} (first attempt) to its end.
     *
     * @throws IllegalStateException when the round fails (e.g. its aggregated model is not finite)
     */
    public RoundReport runRound(int number) {
        RoundProtocol.Opened round = protocol.open(federationSeed, number, 1, ids, ids.size(), model, serverState);
        Tensors global = model;
        List<Callable<Prepared>> work = new ArrayList<>();
        for (String id : round.participants()) {
            TrainingPlan plan = round.plan().plans().get(id);
            State strategyState = strategyStates.getOrDefault(id, State.EMPTY);
            State pipelineState = pipelineStates.getOrDefault(id, State.EMPTY);
            work.add(() -> {
                LocalResult r = members.get(id).train(global, plan, round.plan().broadcast(), strategyState);
                return new Prepared(r, pipeline.prepare(r.update(), pipelineState, plan.seed()));
            });
        }
        List<Prepared> done = executor.all(work);
        RoundAggregation aggregation = protocol.startAggregation(round.context(), model.spec());
        Map<String, State> nextStrategy = new HashMap<>();
        Map<String, State> nextPipeline = new HashMap<>();
        long bytesUp = 0;
        double lossSum = 0;
        int losses = 0;
        int rejected = 0;
        for (int i = 0; i < done.size(); i++) {
            String id = round.participants().get(i);
            LocalResult r = done.get(i).result();
            Map<String, String> metadata = new UpdateMetadata(r.numSamples(), r.metrics(), Map.of()).toMap();
            bytesUp += pipeline.codec().encodedSize(model.spec(), metadata);
            Update sent = new Update(id, round.plan().plans().get(id).role(),
                    pipeline.codec().reconstruct(done.get(i).update().update()), r.numSamples(), r.metrics());
            try {
                aggregation.add(protocol.aggregation().admit(sent, members.get(id).declaredSamples()));
            } catch (InvalidUpdateException e) {
                rejected++;
                continue;
            }
            nextStrategy.put(id, r.state());
            nextPipeline.put(id, done.get(i).update().state());
            Double loss = r.metrics().get("train_loss");
            if (loss != null) {
                lossSum += loss;
                losses++;
            }
        }
        RoundProtocol.Outcome outcome = protocol.finish(round.context(), model, serverState, aggregation);
        if (outcome instanceof RoundProtocol.Outcome.Failed failed) {
            throw new IllegalStateException("round " + number + " failed: " + failed.reason());
        }
        var result = ((RoundProtocol.Outcome.Closed) outcome).result();
        model = result.model();
        serverState = result.state();
        strategyStates.putAll(nextStrategy);
        pipelineStates.putAll(nextPipeline);
        return new RoundReport(number, round.participants().size(), rejected, losses == 0 ? Double.NaN : lossSum / losses,
                bytesUp, round.plan().broadcast().isPresent(), result.metrics());
    }
}
