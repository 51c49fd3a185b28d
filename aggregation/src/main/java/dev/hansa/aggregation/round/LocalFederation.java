package dev.hansa.aggregation.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.attack.Adversary;
import dev.hansa.aggregation.attack.Attack;
import dev.hansa.aggregation.attack.Observation;
import dev.hansa.aggregation.random.Seeds;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * A federation whose clients run in this process: the simulation runner and the tests drive rounds through it with
 * the same {@link RoundProtocol} the server uses and the same client halves a {@code HansaClient} runs (client
 * optimizer, update pipeline, codec). Updates are aggregated in participant order, so for the same ids, data, seeds
 * and configuration the result is the model an HTTP federation produces when its updates arrive in that order.
 * A client's strategy and pipeline state advance only when the server side admitted its update, as on the server.
 *
 * <p>An {@link Adversary} makes some members Byzantine, for evaluating robust aggregation: per role, once the honest
 * participants' updates are prepared, its attack sees them (as the server will decode them) and a trial run of the
 * round's aggregation, and forges what its participants send. A forged update skips the client's update transforms
 * (an attacker does not clip itself) but not the codec, claims the member's declared sample count, and goes through
 * the same admission as every other update. Members of a non-training attack do not train and their state stays.
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
     * @param byzantine    sampled clients of the adversary
     * @param rejected     updates the server side refused (their clients' state did not advance)
     * @param trainLoss    mean of the participants' {@code train_loss} (NaN when none reported one)
     * @param bytesUp      bytes the participants' encoded updates would move
     * @param broadcast    whether the round sent tensors besides the model
     * @param metrics      the strategy's round metrics
     */
    public record RoundReport(int round, int participants, int byzantine, int rejected, double trainLoss, long bytesUp,
                              boolean broadcast, Map<String, Double> metrics) {
    }

    private final RoundProtocol protocol;
    private final long federationSeed;
    private final Map<String, Member> members;
    private final List<String> ids;
    private final Executor executor;
    /**
     * The clients' update pipeline; rebuilt each round from the plans when they carry L-GreCo's per-round plan or
     * the round's fragment (Streaming DiLoCo's {@code update.tensors}).
     */
    private UpdatePipeline pipeline;
    /** null: every member is honest. */
    private final Adversary adversary;
    private final Map<String, State> strategyStates = new HashMap<>();
    private final Map<String, State> pipelineStates = new HashMap<>();
    /** The rounds each client's update was aggregated in, for DP-FTRL's participation limit. */
    private final Map<String, List<Integer>> contributions = new HashMap<>();
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
        this(protocol, federationSeed, members, initial, executor, null);
    }

    /** A federation in which {@code adversary}'s clients (members too) attack; null for none. */
    public LocalFederation(RoundProtocol protocol, long federationSeed, Map<String, ? extends Member> members,
                           Tensors initial, Executor executor, Adversary adversary) {
        this(protocol, federationSeed, members, new Checkpoint(initial, protocol.strategy().initialState(initial),
                Map.of(), Map.of()), executor, adversary);
    }

    private LocalFederation(RoundProtocol protocol, long federationSeed, Map<String, ? extends Member> members,
                            Checkpoint from, Executor executor, Adversary adversary) {
        if (adversary != null && !members.keySet().containsAll(adversary.clients())) {
            throw new IllegalArgumentException("the adversary's clients " + adversary.clients()
                    + " are not all members");
        }
        if (adversary != null && !protocol.decodedSpec(from.model().spec()).equals(from.model().spec())) {
            throw new IllegalArgumentException("attack: the attacks forge updates in the model's coordinates; codec "
                    + protocol.update().codec() + " sends sketch tables");
        }
        this.protocol = protocol;
        this.federationSeed = federationSeed;
        this.members = new TreeMap<>(members);
        this.ids = List.copyOf(this.members.keySet());
        this.executor = executor;
        this.pipeline = UpdatePipeline.of(protocol.update());
        this.adversary = adversary;
        this.model = from.model();
        this.serverState = from.serverState();
        this.strategyStates.putAll(from.strategyStates());
        this.pipelineStates.putAll(from.pipelineStates());
    }

    /**
     * A federation that continues from {@code checkpoint}, as a restarted server continues from PostgreSQL.
     *
     * @throws IllegalArgumentException for DP-FTRL, whose participation limit needs the clients' past contributions,
     *                                  which a checkpoint does not hold
     */
    public static LocalFederation resume(RoundProtocol protocol, long federationSeed,
                                         Map<String, ? extends Member> members, Checkpoint checkpoint, Executor executor) {
        if (protocol.tree().isPresent()) {
            throw new IllegalArgumentException("a DP-FTRL federation cannot resume from a checkpoint: it lacks the "
                    + "clients' contributions that the participation limit is checked against");
        }
        return new LocalFederation(protocol, federationSeed, members, checkpoint, executor, null);
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
        RoundProtocol.Opened round = protocol.open(federationSeed, number, 1, ids, ids.size(), model, serverState,
                id -> contributions.getOrDefault(id, List.of()));
        if ((protocol.update().lgreco() != null || !round.plan().uploadedTensors().isEmpty())
                && !round.participants().isEmpty()) {
            pipeline = UpdatePipeline.of(round.plan().plans().get(round.participants().getFirst()).update());
        }
        Tensors global = model;
        List<String> trainers = round.participants().stream().filter(id -> !forgesWithoutTraining(id)).toList();
        List<Callable<Prepared>> work = new ArrayList<>();
        for (String id : trainers) {
            TrainingPlan plan = round.plan().plans().get(id);
            State strategyState = strategyStates.getOrDefault(id, State.EMPTY);
            State pipelineState = pipelineStates.getOrDefault(id, State.EMPTY);
            work.add(() -> {
                LocalResult r = members.get(id).train(global, plan, round.plan().broadcast(), strategyState);
                // The plan's own pipeline, as HansaClient runs it: a DP round's plans carry the round's clip.
                return new Prepared(r, UpdatePipeline.of(plan.update()).prepare(r.update(), pipelineState,
                        plan.seed()));
            });
        }
        List<Prepared> done = executor.all(work);
        Map<String, Prepared> prepared = new HashMap<>();
        Map<String, Update> sent = new HashMap<>();
        for (int i = 0; i < trainers.size(); i++) {
            String id = trainers.get(i);
            LocalResult r = done.get(i).result();
            prepared.put(id, done.get(i));
            sent.put(id, new Update(id, round.plan().plans().get(id).role(),
                    pipeline.codec(round.plan().plans().get(id).seed()).reconstruct(done.get(i).update().update()),
                    r.numSamples(), done.get(i).update().withMetrics(r.metrics())));
        }
        int byzantine = adversary == null ? 0 : forge(round, sent);
        RoundAggregation aggregation = protocol.startAggregation(round.context(), model.spec());
        Map<String, State> nextStrategy = new HashMap<>();
        Map<String, State> nextPipeline = new HashMap<>();
        long bytesUp = 0;
        double lossSum = 0;
        int losses = 0;
        int rejected = 0;
        List<String> aggregated = new ArrayList<>();
        for (String id : round.participants()) {
            Update update = sent.get(id);
            bytesUp += pipeline.codec().encodedSize(model.spec(),
                    new UpdateMetadata(update.numSamples(), update.metrics(), Map.of()).toMap());
            Optional<AggregationPipeline.Admitted> admitted = admit(update);
            if (admitted.isEmpty()) {
                rejected++;
                continue;
            }
            aggregation.add(admitted.get());
            aggregated.add(id);
            Prepared p = prepared.get(id);
            if (p != null) {
                nextStrategy.put(id, p.result().state());
                nextPipeline.put(id, p.update().state());
            }
            Double loss = update.metrics().get("train_loss");
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
        aggregated.forEach(id -> contributions.computeIfAbsent(id, x -> new ArrayList<>()).add(number));
        return new RoundReport(number, round.participants().size(), byzantine, rejected,
                losses == 0 ? Double.NaN : lossSum / losses, bytesUp, round.plan().broadcast().isPresent(),
                result.metrics());
    }

    private boolean forgesWithoutTraining(String id) {
        return adversary != null && adversary.controls(id) && adversary.attack().training() == Attack.Training.NONE;
    }

    /** The update as the server admits it, or empty when admission refuses it. */
    private Optional<AggregationPipeline.Admitted> admit(Update update) {
        try {
            return Optional.of(protocol.aggregation().admit(update, members.get(update.clientId()).declaredSamples()));
        } catch (InvalidUpdateException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts the adversary's participants' updates into {@code sent}, role by role (its trained ones, if any, are
     * replaced); returns how many there are.
     */
    private int forge(RoundProtocol.Opened round, Map<String, Update> sent) {
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (String id : round.participants()) {
            byRole.computeIfAbsent(round.plan().plans().get(id).role(), r -> new ArrayList<>()).add(id);
        }
        int count = 0;
        for (var role : byRole.entrySet()) {
            List<String> byzantine = role.getValue().stream().filter(adversary::controls).toList();
            if (byzantine.isEmpty()) {
                continue;
            }
            List<float[]> honest = role.getValue().stream().filter(id -> !adversary.controls(id))
                    .map(id -> sent.get(id).values().values()).toList();
            List<float[]> own = byzantine.stream().filter(sent::containsKey).map(id -> sent.get(id).values().values())
                    .toList();
            Observation.Trial trial = new ByzantineTrial(protocol.aggregation(), model.spec(), round.context().seed(),
                    role.getKey(), role.getValue(), Set.copyOf(byzantine), sent,
                    rows -> forged(round, role.getKey(), byzantine, rows, sent), this::admit,
                    pipeline.codec().lossless());
            long seed = Seeds.forClient(round.context().seed(), "byzantine/" + role.getKey());
            Observation observation = new Observation(seed, model.spec().parameterCount(), honest, byzantine.size(),
                    own, trial);
            List<float[]> rows = adversary.attack().forge(observation);
            if (rows.size() != byzantine.size()) {
                throw new IllegalStateException(adversary.attack().name() + " forged " + rows.size() + " updates for "
                        + byzantine.size() + " Byzantine participants");
            }
            sent.putAll(forged(round, role.getKey(), byzantine, rows, sent));
            count += byzantine.size();
        }
        return count;
    }

    /**
     * The Byzantine participants' updates holding {@code rows} as the server decodes them: the sample count and
     * metrics of what they trained, if they did, else their declared sample count and no metrics.
     */
    private Map<String, Update> forged(RoundProtocol.Opened round, String role, List<String> byzantine,
                                       List<float[]> rows, Map<String, Update> sent) {
        Map<String, Update> out = new HashMap<>();
        for (int k = 0; k < byzantine.size(); k++) {
            String id = byzantine.get(k);
            Update trained = sent.get(id);
            Tensors values = pipeline.codec(round.plan().plans().get(id).seed())
                    .reconstruct(new Tensors(model.spec(), rows.get(k)));
            out.put(id, trained != null
                    ? new Update(id, role, values, trained.numSamples(), trained.metrics())
                    : new Update(id, role, values, members.get(id).declaredSamples(), Map.of()));
        }
        return out;
    }
}
