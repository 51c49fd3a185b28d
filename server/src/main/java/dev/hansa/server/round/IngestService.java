package dev.hansa.server.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.tensor.InvalidInputException;
import dev.hansa.aggregation.update.Update;
import dev.hansa.aggregation.update.UpdateMetadata;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.server.federation.FederationRuntime;
import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.HansaProperties;
import dev.hansa.server.system.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Validates and records one uploaded update exactly once. Cheap checks (membership, round state, replay) come
 * first; then the body is received into a spool file at the client's pace, with no permit held (see
 * {@link UploadSpool}; one upload per participant at a time, {@link ParticipantGate}); then, under one of
 * {@code hansa.ingest-permits}, it is decoded with the codec the participant's plan named, admitted by the
 * federation's aggregation pipeline (finite, plausible sample count, norm bound) and stored together with the
 * participant's result in one transaction under the participant's row lock; a streaming pipeline then folds it
 * into the round's running aggregate, a whole-round pipeline writes its values to the round's file
 * ({@link RoundFiles}) inside that transaction, so that a full disk refuses the upload with nothing kept. Every
 * refusal is recorded on the participant's row with its reason.
 */
@Service
class IngestService {

    /** The answer to an upload; {@code replayed} when a retry of an accepted upload was recognised. */
    public record Outcome(Map<String, Object> body, boolean replayed) {
    }

    /** Where an upload's body comes from. */
    public record Body(InputStream in, long declaredLength) {
    }

    private final RoundRepository rounds;
    private final FederationRuntime runtime;
    private final RunningAggregates aggregates;
    private final RoundFiles files;
    private final RoundSignals signals;
    private final AuditLog audit;
    private final RoundMetrics metrics;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Timestamps time;
    private final HansaProperties properties;
    private final Semaphore permits;
    private final ParticipantGate gate = new ParticipantGate();

    IngestService(RoundRepository rounds, FederationRuntime runtime, RunningAggregates aggregates, RoundFiles files,
                  RoundSignals signals, AuditLog audit, TransactionTemplate tx, ObjectMapper json, Timestamps time,
                  HansaProperties properties, RoundMetrics metrics) {
        this.metrics = metrics;
        this.rounds = rounds;
        this.runtime = runtime;
        this.aggregates = aggregates;
        this.files = files;
        this.signals = signals;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.time = time;
        this.properties = properties;
        this.permits = new Semaphore(Math.max(1, properties.ingestPermits()));
    }

    public Outcome ingest(ClientPrincipal client, UUID roundId, String key, Body body) throws IOException {
        Round round = rounds.find(roundId).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + roundId));
        Participant participant = round.federationId().equals(client.federationId())
                ? rounds.participant(roundId, client.clientId(), false).orElse(null) : null;
        if (participant == null) {
            throw new HansaProblem(HttpStatus.FORBIDDEN, "not-a-participant",
                    "client " + client.clientId() + " was not selected for round " + roundId);
        }
        recordingRefusals(round, client, () -> checkKey(key));
        Outcome replay = replayOrConflict(participant, key);
        if (replay != null) {
            return replay;
        }
        if (round.state() != RoundState.OPEN) {
            throw refuseLate(round, client);
        }
        try (ParticipantGate.Held _ = recordingRefusals(round, client,
                () -> gate.enter(roundId, client.clientId(), properties.uploadWait()))) {
            // The upload this one waited for may have been accepted meanwhile.
            Outcome first = replayOrConflict(rounds.participant(roundId, client.clientId(), false).orElseThrow(), key);
            return first != null ? first : receiveAndRecord(round, participant, client, key, body);
        }
    }

    private static String checkKey(String key) {
        if (key == null || key.isBlank() || key.length() > 128 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "missing-idempotency-key",
                    "header Idempotency-Key is required: 1..128 printable ASCII characters");
        }
        return key;
    }

    private Outcome receiveAndRecord(Round round, Participant participant, ClientPrincipal client, String key, Body body)
            throws IOException {
        FederationRuntime.Context ctx = runtime.context(round.federationId());
        UploadSpool.Limits limits = new UploadSpool.Limits(properties.maxUploadSize().toBytes(),
                properties.uploadMinRate().toBytes(), properties.uploadGrace());
        try (UploadSpool spool = recordingRefusals(round, client, () -> UploadSpool.receive(body.in(), body.declaredLength(), limits))) {
            acquirePermit();
            try (Arena arena = Arena.ofConfined()) {
                Decoded decoded = recordingRefusals(round, client, () -> decode(ctx, participant, client, spool, arena));
                Recorded recorded = recordingStorageRefusals(round, client,
                        () -> tx.execute(s -> record(ctx, round, client, key, spool, decoded)));
                if (recorded.late()) {
                    throw refuseLate(round, client);
                }
                if (!recorded.outcome().replayed()) {
                    metrics.uploadAccepted(spool.size());
                }
                if (!recorded.outcome().replayed() && ctx.protocol().aggregation().streaming()) {
                    aggregates.fold(round.id(), client.clientId(), decoded.admitted(),
                            () -> ctx.protocol().startAggregation(round.context(), ctx.spec()));
                }
                signals.signal(round.federationId());
                return recorded.outcome();
            } finally {
                permits.release();
            }
        }
    }

    private void acquirePermit() {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HansaProblem(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "the server is shutting down");
        }
    }

    /** The update as decoded and admitted, with the metadata it came with. */
    private record Decoded(AggregationPipeline.Admitted admitted, UpdateMetadata metadata) {
    }

    private Decoded decode(FederationRuntime.Context ctx, Participant participant, ClientPrincipal client,
                           UploadSpool spool, Arena arena) {
        UpdateCodec codec = participant.decoder();
        UpdateCodec.Decoded decoded = codec.decode(spool.map(arena), ctx.spec());
        UpdateMetadata metadata = UpdateMetadata.parse(decoded.metadata());
        Update update = new Update(client.clientId().toString(), participant.role(), decoded.values(),
                metadata.numSamples(), metadata.trainMetrics());
        return new Decoded(ctx.protocol().aggregation().admit(update, participant.declaredSamples()), metadata);
    }

    /** The transaction's result: the answer, or that the round ended while the upload was on its way. */
    private record Recorded(Outcome outcome, boolean late) {
    }

    /** The transaction, with a refusal for want of disk space recorded (other refusals inside it are not). */
    private Recorded recordingStorageRefusals(Round round, ClientPrincipal client, Supplier<Recorded> transaction) {
        try {
            return transaction.get();
        } catch (InsufficientStorage e) {
            reject(round, client, e.reason(), e.getMessage());
            throw e;
        }
    }

    private Recorded record(FederationRuntime.Context ctx, Round round, ClientPrincipal client, String key,
                            UploadSpool spool, Decoded decoded) {
        Round locked = rounds.lock(round.id(), false).orElseThrow();
        Participant p = rounds.participant(round.id(), client.clientId(), true).orElseThrow();
        Outcome replay = replayOrConflict(p, key);
        if (replay != null) {
            return new Recorded(replay, false);
        }
        if (locked.state() != RoundState.OPEN) {
            return new Recorded(null, true);
        }
        AggregationPipeline.Admitted a = decoded.admitted();
        Double clippedTo = Double.isNaN(a.clippedTo()) ? null : a.clippedTo();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("state", ParticipantState.ACCEPTED.name());
        response.put("roundId", round.id().toString());
        response.put("bytes", spool.size());
        response.put("updateNorm", a.norm());
        response.put("clippedTo", clippedTo);
        if (!ctx.protocol().aggregation().streaming()) {
            files.rows(round.id(), locked.participants(), ctx.spec().parameterCount())
                    .write(client.clientId(), RoundAggregation.Kept.of(a, p.ordinal()), a.update().values().values());
        }
        try (InputStream in = spool.open()) {
            rounds.insertUpdate(round.id(), client.clientId(), in, spool.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload", e);
        }
        rounds.accept(round.id(), client.clientId(), new RoundRepository.Acceptance(key,
                json.writeValueAsString(response), spool.size(), a.norm(), clippedTo, a.update().numSamples(),
                json.writeValueAsString(decoded.metadata().trainMetrics()),
                json.writeValueAsString(decoded.metadata().evalMetrics()), time.now()));
        return new Recorded(new Outcome(response, false), false);
    }

    private Outcome replayOrConflict(Participant p, String key) {
        if (p.state() != ParticipantState.ACCEPTED) {
            return null;
        }
        if (key.equals(p.idempotencyKey())) {
            return new Outcome(json.readValue(p.acceptedResponse(), new TypeReference<Map<String, Object>>() { }), true);
        }
        throw new HansaProblem(HttpStatus.CONFLICT, "already-submitted",
                "an update was already accepted for this round under another Idempotency-Key");
    }

    /** Marks the participant late and returns the refusal to throw. */
    private HansaProblem refuseLate(Round round, ClientPrincipal client) {
        Round now = rounds.find(round.id()).orElseThrow();
        String reason = now.state() == RoundState.CANCELLED ? "round-cancelled" : "round-closed";
        tx.executeWithoutResult(s -> rounds.markLate(round.id(), client.clientId(), reason, time.now()));
        metrics.uploadRejected(reason);
        return new HansaProblem(HttpStatus.CONFLICT, reason,
                round.label() + " is " + now.state() + "; the upload came too late");
    }

    /** A step whose refusals are recorded on the participant's row (and audit-logged) before they propagate. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    private <T> T recordingRefusals(Round round, ClientPrincipal client, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (HansaProblem e) {
            reject(round, client, e.reason(), e.getMessage());
            throw e;
        } catch (InvalidInputException e) {
            reject(round, client, e.reason(), e.getMessage());
            throw e;
        }
    }

    private void reject(Round round, ClientPrincipal client, String reason, String detail) {
        tx.executeWithoutResult(s -> {
            rounds.recordRejection(round.id(), client.clientId(), reason);
            metrics.uploadRejected(reason);
            audit.record("client:" + client.clientId(), "update.rejected", round.id().toString(),
                    Map.of("reason", reason, "detail", detail));
        });
    }
}
