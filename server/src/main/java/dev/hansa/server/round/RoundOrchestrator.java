package dev.hansa.server.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.dp.Contributions;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.tensor.ContentHash;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.update.Update;
import dev.hansa.aggregation.update.UpdateMetadata;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.server.database.DatabaseAvailability;
import dev.hansa.server.database.DatabaseOutage;
import dev.hansa.server.federation.FederationConfig;
import dev.hansa.server.federation.FederationRepository;
import dev.hansa.server.federation.FederationRuntime;
import dev.hansa.server.federation.FederationState;
import dev.hansa.server.model.ModelRepository;
import dev.hansa.server.model.ModelVersion;
import dev.hansa.server.privacy.PrivacyLedger;
import dev.hansa.server.privacy.TreeLedger;
import dev.hansa.server.system.HansaProperties;
import dev.hansa.server.system.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * Drives every running federation's rounds from what PostgreSQL holds, around the federation's
 * {@link RoundProtocol}: opens a round (the protocol samples and plans; participants and plans are written in the
 * same transaction), closes it when all participants reported or at the deadline with a quorum (the protocol's
 * server update; new model version, server state, round and participant states in one transaction), fails it
 * without a quorum or when its result is not finite (the previous model version stays current) and retries it, and
 * finishes the federation. A DP federation's closed rounds are appended to its {@link PrivacyLedger} (DP-FTRL: its
 * {@link TreeLedger}) in the closing transaction, and no round opens that would take its epsilon past the budget: the
 * federation finishes instead, with the reason recorded. A DP-FTRL round opens only with enough clients that the
 * participation limit admits (their accepted updates in the current tree, read from the rounds). Holds no state that
 * a restart would lose.
 */
@Component
public class RoundOrchestrator {

    private static final Logger log = LoggerFactory.getLogger(RoundOrchestrator.class);

    private final FederationRepository federations;
    private final FederationRuntime runtime;
    private final RoundRepository rounds;
    private final ModelRepository models;
    private final RunningAggregates aggregates;
    private final RoundFiles files;
    private final RoundSignals signals;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final HansaProperties properties;
    private final Timestamps time;
    private final DatabaseAvailability database;
    private final RoundMetrics metrics;
    private final PrivacyLedger ledger;
    private final TreeLedger trees;
    private final AtomicBoolean wakeUp = new AtomicBoolean();
    private volatile long lastTick = System.nanoTime();
    private volatile boolean closing;

    RoundOrchestrator(FederationRepository federations, FederationRuntime runtime, RoundRepository rounds,
                      ModelRepository models, RunningAggregates aggregates, RoundFiles files, RoundSignals signals,
                      TransactionTemplate tx, ObjectMapper json, HansaProperties properties, Timestamps time,
                      DatabaseAvailability database, RoundMetrics metrics, PrivacyLedger ledger,
                      TreeLedger trees) {
        this.federations = federations;
        this.runtime = runtime;
        this.rounds = rounds;
        this.models = models;
        this.aggregates = aggregates;
        this.files = files;
        this.signals = signals;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
        this.time = time;
        this.database = database;
        this.metrics = metrics;
        this.ledger = ledger;
        this.trees = trees;
        signals.onChange(() -> wakeUp.set(true));
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
            for (FederationRepository.Active federation : federations.active()) {
                try {
                    advance(runtime.context(federation.id()), federation.state());
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

    /** Closes the open round when it is due; opens the next one only while the federation runs (not paused). */
    private void advance(FederationRuntime.Context ctx, FederationState state) {
        rounds.open(ctx.federationId()).ifPresentOrElse(round -> closeIfDue(ctx, round), () -> {
            if (state == FederationState.RUNNING) {
                openNext(ctx);
            }
        });
    }

    private void openNext(FederationRuntime.Context ctx) {
        UUID fid = ctx.federationId();
        FederationConfig.Schedule schedule = ctx.config().schedule();
        int closed = rounds.closedRounds(fid);
        if (closed >= schedule.rounds()) {
            finish(fid, FederationState.FINISHED, null);
            return;
        }
        int number = closed + 1;
        RoundRepository.Attempts attempts = rounds.attempts(fid, number);
        if (attempts.failed() >= schedule.maxAttempts()) {
            finish(fid, FederationState.FAILED, "round " + number + " failed " + attempts.failed() + " times");
            return;
        }
        Optional<String> overBudget = ctx.protocol().privacy().flatMap(p -> ledger.refusal(fid, p, number))
                .or(() -> ctx.protocol().tree().flatMap(t -> t.settings().refusal(closed)));
        if (overBudget.isPresent()) {
            finish(fid, FederationState.FINISHED, overBudget.get());
            return;
        }
        OffsetDateTime now = time.now();
        List<String> live = rounds.liveClients(fid, now.minus(properties.liveWindow())).stream().map(UUID::toString)
                .toList();
        Contributions contributions = ctx.protocol().tree()
                .map(t -> trees.contributions(fid, t.settings().treeStart(number))).orElse(Contributions.NONE);
        List<String> eligible = ctx.protocol().eligible(live, contributions, number);
        if (eligible.size() < schedule.minClients()) {
            return;
        }
        FederationRuntime.DecodedModel model = runtime.model(ctx, models.latestId(fid).orElseThrow());
        RoundProtocol.Opened opened = ctx.protocol().open(ctx.config().seed(), number, attempts.made() + 1,
                eligible, rounds.enrolled(fid), model.tensors(), model.state(), contributions);
        byte[] broadcast = opened.plan().broadcast().map(b -> Safetensors.write(b, Map.of())).orElse(null);
        String broadcastHash = broadcast == null ? null : ContentHash.of(broadcast);
        int participants = opened.participants().size();
        Round round = new Round(UUID.randomUUID(), fid, number, attempts.made() + 1, RoundState.OPEN,
                opened.context().seed(), model.versionId(), broadcastHash, participants,
                opened.context().totalClients(), schedule.quorum(participants), now,
                now.plusSeconds(schedule.roundDeadlineSeconds()));
        boolean inserted = Boolean.TRUE.equals(tx.execute(s -> {
            if (federations.lockState(fid).orElseThrow() != FederationState.RUNNING) {
                return false; // paused or stopped since this tick read it
            }
            rounds.insertRound(round, ctx.protocol().strategy().name(),
                    json.writeValueAsString(ctx.effectiveStrategyParams()), json.writeValueAsString(ctx.pipeline()));
            if (broadcast != null) {
                models.insertBroadcast(fid, broadcastHash, broadcast, now);
            }
            for (int i = 0; i < participants; i++) {
                String id = opened.participants().get(i);
                TrainingPlan plan = opened.plan().plans().get(id);
                rounds.insertParticipant(round.id(), UUID.fromString(id), i, json.writeValueAsString(plan), now);
            }
            signals.afterCommit(fid);
            metrics.roundOpened();
            return true;
        }));
        if (inserted) {
            log.info("federation {} {} opened with {} of {} live clients", fid, round.label(), participants, live.size());
        }
    }

    private void closeIfDue(FederationRuntime.Context ctx, Round round) {
        if (rounds.assignedCount(round.id()) > 0 && time.now().isBefore(round.deadlineAt())) {
            return;
        }
        int accepted = rounds.acceptedCount(round.id());
        if (accepted >= round.quorum()) {
            close(ctx, round);
        } else {
            fail(round, accepted, "deadline passed with " + accepted + " of " + round.participants()
                    + " updates, quorum " + round.quorum());
        }
    }

    private void close(FederationRuntime.Context ctx, Round round) {
        UUID fid = round.federationId();
        FederationRuntime.DecodedModel in = runtime.model(ctx, round.modelVersionIn());
        FederationRuntime.DecodedModel out = tx.execute(s -> {
            if (!stillOpen(round)) {
                return null;
            }
            List<Participant> accepted = rounds.accepted(round.id());
            Set<UUID> ids = new HashSet<>();
            accepted.forEach(p -> ids.add(p.clientId()));
            RoundAggregation aggregation = ctx.protocol().aggregation().streaming()
                    ? aggregates.take(round.id(), ids).orElseGet(() -> rebuild(ctx, round, accepted))
                    : wholeRound(ctx, round, accepted);
            RoundProtocol.Outcome outcome = ctx.protocol().finish(round.context(), in.tensors(), in.state(), aggregation);
            if (outcome instanceof RoundProtocol.Outcome.Failed failed) {
                endWithout(round, RoundState.FAILED, accepted.size(), failed.reason());
                log.warn("federation {} {} failed: {}", fid, round.label(), failed.reason());
                return null;
            }
            RoundResult result = ((RoundProtocol.Outcome.Closed) outcome).result();
            byte[] blob = Safetensors.write(result.model(), ModelVersion.METADATA);
            OffsetDateTime now = time.now();
            ModelVersion version = new ModelVersion(UUID.randomUUID(), fid, in.version() + 1,
                    ContentHash.of(blob), blob, StateCodec.encode(result.state()), round.id(), now);
            models.insert(version);
            ctx.protocol().privacy().ifPresent(p -> ledger.append(fid, round.number(), round.id(), p,
                    p.clip(round.number(), in.state()), ctx.config().schedule().sampler(), now));
            ctx.protocol().tree().ifPresent(t -> trees.append(fid, round.number(), round.id(), t.settings(),
                    ctx.config().schedule().sampler(), now));
            rounds.close(round.id(), version.id(), accepted.size(), json.writeValueAsString(finiteOnly(result.metrics())),
                    now);
            metrics.roundEnded(RoundState.CLOSED, round.openedAt(), now);
            rounds.dropUnreported(round.id());
            rounds.deleteUpdates(round.id());
            if (round.number() >= ctx.config().schedule().rounds()) {
                federations.transition(fid, FederationState.FINISHED, null, now);
            }
            signals.afterCommit(fid);
            return new FederationRuntime.DecodedModel(version.id(), version.version(), result.model(),
                    result.state());
        });
        files.release(round.id());
        if (out == null) {
            return;
        }
        runtime.remember(fid, out);
        log.info("federation {} {} closed", fid, round.label());
    }

    /**
     * Rebuilds a streaming round's aggregation from its stored updates, one at a time, in participant order.
     */
    private RoundAggregation rebuild(FederationRuntime.Context ctx, Round round, List<Participant> accepted) {
        RoundAggregation aggregation = ctx.protocol().startAggregation(round.context(), ctx.spec());
        for (Participant p : accepted) {
            aggregation.add(stored(ctx, round, p));
        }
        return aggregation;
    }

    /**
     * A whole-round round's aggregation over its file, in participant order: the rows the file kept as uploads
     * arrived, and the others (after a restart) written to it from their stored updates first, one at a time.
     */
    private RoundAggregation wholeRound(FederationRuntime.Context ctx, Round round, List<Participant> accepted) {
        RoundFiles.Rows rows = files.rows(round.id(), round.participants(), ctx.spec().parameterCount());
        RoundAggregation aggregation;
        try {
            aggregation = ctx.protocol().startAggregation(round.context(), ctx.spec(), rows.store());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the round file of " + round.label(), e);
        }
        for (Participant p : accepted) {
            RoundAggregation.Kept kept = rows.kept(p.clientId());
            if (kept == null) {
                AggregationPipeline.Admitted update = stored(ctx, round, p);
                kept = RoundAggregation.Kept.of(update, p.ordinal());
                rows.write(p.clientId(), kept, update.update().values().values());
            }
            aggregation.add(kept);
        }
        return aggregation;
    }

    /**
     * A participant's stored update, decoded with its codec and admitted as at ingest (clipped to the norm recorded
     * then), without checking again.
     */
    private AggregationPipeline.Admitted stored(FederationRuntime.Context ctx, Round round, Participant p) {
        UpdateCodec codec = p.decoder();
        UpdateCodec.Decoded decoded = codec.decode(MemorySegment.ofArray(rounds.updateBlob(round.id(), p.clientId())),
                ctx.spec());
        UpdateMetadata metadata = UpdateMetadata.parse(decoded.metadata());
        Update update = new Update(p.clientId().toString(), p.role(), decoded.values(), metadata.numSamples(),
                metadata.trainMetrics());
        return ctx.protocol().aggregation().readmit(update, p.clippedTo() == null ? Double.NaN : p.clippedTo());
    }

    private void fail(Round round, int accepted, String reason) {
        tx.executeWithoutResult(s -> {
            if (stillOpen(round)) {
                endWithout(round, RoundState.FAILED, accepted, reason);
            }
        });
        log.warn("federation {} {} failed: {}", round.federationId(), round.label(), reason);
    }

    /** Locks the round row against concurrent ingest and cancellation; false when it ended meanwhile. */
    private boolean stillOpen(Round round) {
        return rounds.lock(round.id(), true).orElseThrow().state() == RoundState.OPEN;
    }

    /**
     * Ends the round without a model version (inside a transaction): its updates, their aggregate and its round file
     * are dropped.
     */
    void endWithout(Round round, RoundState state, int accepted, String reason) {
        OffsetDateTime now = time.now();
        rounds.end(round.id(), state, accepted, reason, now);
        metrics.roundEnded(state, round.openedAt(), now);
        rounds.dropUnreported(round.id());
        rounds.deleteUpdates(round.id());
        forget(round.id());
        signals.afterCommit(round.federationId());
    }

    /** Drops what this server holds of a round besides its rows: its running aggregate and its round file. */
    void forget(UUID round) {
        aggregates.discard(round);
        files.release(round);
    }

    private void finish(UUID fid, FederationState state, String reason) {
        boolean moved = Boolean.TRUE.equals(tx.execute(s -> {
            signals.afterCommit(fid);
            return federations.transition(fid, state, reason, time.now());
        }));
        if (moved) {
            log.info("federation {} is {}{}", fid, state, reason == null ? "" : ": " + reason);
        }
    }

    private static Map<String, Double> finiteOnly(Map<String, Double> metrics) {
        Map<String, Double> out = new TreeMap<>();
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
