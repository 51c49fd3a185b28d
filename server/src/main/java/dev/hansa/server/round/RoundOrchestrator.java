package dev.hansa.server.round;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.model.Safetensors;
import dev.hansa.aggregation.sampling.UniformSampler;
import dev.hansa.aggregation.strategy.ClientUpdate;
import dev.hansa.aggregation.strategy.RoundAggregator;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundPlan;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.StrategyStateCodec;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.server.database.DatabaseAvailability;
import dev.hansa.server.database.DatabaseOutage;
import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationConfig;
import dev.hansa.server.federation.FederationRepository;
import dev.hansa.server.federation.FederationRuntime;
import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.model.ModelVersion;
import dev.hansa.server.system.HansaProperties;
import dev.hansa.server.system.Secrets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Drives every running federation's rounds from what PostgreSQL holds: opens a round (sampling participants and
 * writing their plans in the same transaction), closes it when all participants reported or at the deadline with a
 * quorum (new model version, server state, round and participant states in one transaction), fails it and retries
 * without a quorum, and finishes the federation. Holds no state that a restart would lose.
 */
@Component
public class RoundOrchestrator {

    private static final Logger log = LoggerFactory.getLogger(RoundOrchestrator.class);

    private final FederationRepository federations;
    private final FederationRuntime runtime;
    private final RoundRepository rounds;
    private final ModelRepository models;
    private final RunningAggregates aggregates;
    private final RoundSignals signals;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final HansaProperties properties;
    private final Clock clock;
    private final DatabaseAvailability database;
    private final AtomicBoolean wakeUp = new AtomicBoolean();
    private volatile long lastTick = System.nanoTime();
    private volatile boolean closing;

    RoundOrchestrator(FederationRepository federations, FederationRuntime runtime, RoundRepository rounds,
                      ModelRepository models, RunningAggregates aggregates, RoundSignals signals,
                      TransactionTemplate tx, ObjectMapper json, HansaProperties properties, Clock clock,
                      DatabaseAvailability database) {
        this.federations = federations;
        this.runtime = runtime;
        this.rounds = rounds;
        this.models = models;
        this.aggregates = aggregates;
        this.signals = signals;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.database = database;
        signals.onChange(() -> wakeUp.set(true));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Periodic driver: ticks every {@code hansa.tick}, or at once after a signal (an upload, a start). */
    @Scheduled(fixedDelay = 50)
    void scheduledTick() {
        if (closing) {
            return;
        }
        long now = System.nanoTime();
        if (wakeUp.getAndSet(false) || now - lastTick >= properties.tick().toNanos()) {
            lastTick = now;
            tick();
        }
    }

    /**
     * Stops ticking as soon as the application starts to close: the embedded PostgreSQL library stops the database
     * from its own JVM shutdown hook, in parallel with Spring's, and a tick that then waits for a connection would
     * hold the shutdown for the pool's connection timeout.
     */
    @EventListener(ContextClosedEvent.class)
    void stopTicking() {
        closing = true;
    }

    /** Advances every running federation by at most one step each. */
    public synchronized void tick() {
        if (!database.available()) {
            return; // DatabaseAvailability logs an outage and the recovery once each
        }
        try {
            for (Federation federation : federations.running()) {
                try {
                    advance(federation.id());
                } catch (RuntimeException e) {
                    if (DatabaseOutage.isCause(e)) {
                        throw e;
                    }
                    log.error("federation {}: orchestration step failed; retrying next tick", federation.id(), e);
                }
            }
        } catch (RuntimeException e) {
            if (!DatabaseOutage.isCause(e)) {
                throw e;
            }
            log.debug("tick skipped: the database did not answer", e);
            database.recheckNow();
        }
    }

    private void advance(UUID federationId) {
        FederationRuntime.Context ctx = runtime.context(federationId);
        rounds.open(federationId).ifPresentOrElse(
                round -> closeIfDue(ctx, round),
                () -> openNext(ctx));
    }

    private void openNext(FederationRuntime.Context ctx) {
        UUID fid = ctx.federation().id();
        FederationConfig.Schedule schedule = ctx.federation().config().schedule();
        int closed = rounds.closedRounds(fid);
        if (closed >= schedule.rounds()) {
            finish(fid, Federation.FINISHED, null);
            return;
        }
        int number = closed + 1;
        int attempt = rounds.attempts(fid, number) + 1;
        if (attempt > schedule.maxAttempts()) {
            finish(fid, Federation.FAILED, "round " + number + " failed " + schedule.maxAttempts() + " times without a quorum");
            return;
        }
        OffsetDateTime now = now();
        List<UUID> live = rounds.liveClients(fid, now.minus(properties.liveWindow()));
        if (live.size() < schedule.minClients()) {
            return;
        }
        long seed = RoundContext.seedFor(ctx.federation().config().seed(), number, attempt);
        List<String> sampled = new UniformSampler(schedule.clientFraction(), schedule.minClients(), schedule.maxClients())
                .sample(live.stream().map(UUID::toString).toList(), seed);
        ModelVersion model = models.latest(fid).orElseThrow();
        ModelWeights weights = Safetensors.read(model.blob(), ctx.spec()).weights();
        RoundContext context = new RoundContext(number, rounds.enrolled(fid), sampled.size(), seed);
        RoundPlan plan = ctx.strategy().planRound(context, sampled, weights,
                StrategyStateCodec.decode(model.strategyState()));
        String broadcastHash = null;
        byte[] broadcast = plan.broadcast().map(b -> Safetensors.write(b, Map.of())).orElse(null);
        if (broadcast != null) {
            broadcastHash = Secrets.sha256Hex(broadcast);
        }
        Round round = new Round(UUID.randomUUID(), fid, number, attempt, Round.OPEN, seed, model.id(), broadcastHash,
                sampled.size(), context.totalClients(), schedule.quorum(sampled.size()), now,
                now.plusSeconds(schedule.roundDeadlineSeconds()));
        String hash = broadcastHash;
        tx.executeWithoutResult(s -> {
            rounds.insertRound(round, ctx.strategy().name(),
                    json.writeValueAsString(ctx.federation().config().effectiveStrategyParams()));
            if (broadcast != null) {
                models.insertBroadcast(fid, hash, broadcast, now);
            }
            for (int i = 0; i < sampled.size(); i++) {
                TrainingPlan p = plan.plans().get(sampled.get(i));
                rounds.insertParticipant(round.id(), UUID.fromString(sampled.get(i)), i, json.writeValueAsString(p), now);
            }
            signals.afterCommit(fid);
        });
        log.info("federation {} round {} attempt {} opened with {} of {} live clients", fid, number, attempt,
                sampled.size(), live.size());
    }

    private void closeIfDue(FederationRuntime.Context ctx, Round round) {
        int accepted = rounds.acceptedCount(round.id());
        boolean everyone = accepted == round.participants();
        if (!everyone && now().isBefore(round.deadlineAt())) {
            return;
        }
        if (accepted >= round.quorum()) {
            close(ctx, round);
        } else {
            tx.executeWithoutResult(s -> {
                rounds.lock(round.id(), true);
                rounds.fail(round.id(), accepted, "deadline passed with " + accepted + " of " + round.participants()
                        + " updates, quorum " + round.quorum(), now());
                rounds.dropUnreported(round.id());
                rounds.deleteUpdates(round.id());
                signals.afterCommit(round.federationId());
            });
            aggregates.discard(round.id());
            log.warn("federation {} round {} attempt {} failed: {} of {} updates, quorum {}", round.federationId(),
                    round.number(), round.attempt(), accepted, round.participants(), round.quorum());
        }
    }

    private void close(FederationRuntime.Context ctx, Round round) {
        UUID fid = round.federationId();
        FederationConfig config = ctx.federation().config();
        tx.executeWithoutResult(s -> {
            rounds.lock(round.id(), true);
            List<Participant> accepted = rounds.accepted(round.id());
            Set<UUID> ids = new HashSet<>();
            accepted.forEach(p -> ids.add(p.clientId()));
            RoundAggregator aggregate = aggregates.take(round.id(), ids).orElseGet(() -> rebuild(ctx, round, accepted));
            ModelVersion in = models.byId(round.modelVersionIn()).orElseThrow();
            RoundResult result = ctx.strategy().finishRound(round.context(),
                    Safetensors.read(in.blob(), ctx.spec()).weights(), StrategyStateCodec.decode(in.strategyState()),
                    aggregate);
            byte[] blob = Safetensors.write(result.model(), Map.of("format", "pt"));
            OffsetDateTime now = now();
            UUID out = UUID.randomUUID();
            models.insert(new ModelVersion(out, fid, in.version() + 1, Secrets.sha256Hex(blob), blob,
                    StrategyStateCodec.encode(result.state()), round.id(), now));
            rounds.close(round.id(), out, accepted.size(), json.writeValueAsString(finiteOnly(result.metrics())), now);
            rounds.dropUnreported(round.id());
            rounds.deleteUpdates(round.id());
            if (round.number() >= config.schedule().rounds()) {
                federations.setStatus(fid, Federation.FINISHED, null, now);
            }
            signals.afterCommit(fid);
        });
        log.info("federation {} round {} closed", fid, round.number());
    }

    /** Rebuilds a round's aggregate from its stored updates, one at a time, in participant order. */
    private RoundAggregator rebuild(FederationRuntime.Context ctx, Round round, List<Participant> accepted) {
        RoundAggregator aggregate = ctx.strategy().newAggregator(round.context(), ctx.spec());
        for (Participant p : accepted) {
            var contents = Safetensors.read(rounds.updateBlob(round.id(), p.clientId()), ctx.spec());
            UpdateMetadata meta = UpdateMetadata.parse(contents.metadata());
            aggregate.add(new ClientUpdate(p.clientId().toString(), p.role(), contents.weights(), meta.numSamples(),
                    meta.metrics()));
        }
        return aggregate;
    }

    private void finish(UUID fid, String status, String reason) {
        tx.executeWithoutResult(s -> {
            federations.setStatus(fid, status, reason, now());
            signals.afterCommit(fid);
        });
        log.info("federation {} is {}{}", fid, status, reason == null ? "" : ": " + reason);
    }

    private static Map<String, Double> finiteOnly(Map<String, Double> metrics) {
        Map<String, Double> out = new java.util.TreeMap<>();
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
