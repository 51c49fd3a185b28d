package dev.hansa.server.round;

import dev.hansa.aggregation.model.InvalidTensorsException;
import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.model.Safetensors;
import dev.hansa.aggregation.strategy.ClientUpdate;
import dev.hansa.server.federation.FederationRuntime;
import dev.hansa.server.security.ClientPrincipal;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.HansaProperties;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Validates and records one uploaded update exactly once. Cheap checks (membership, round state, replay) come
 * first, before the body is read; reading, decoding, storing and folding run under a semaphore, so the heap holds
 * the bytes and floats of at most {@code hansa.ingest-permits} uploads at a time however many clients upload at once
 * (the others wait with their bodies still in the socket). Acceptance stores the update and the participant's result
 * in one transaction under the participant's row lock, then folds the update into the round's running aggregate.
 * A refused upload stores nothing but its reason.
 */
@Service
public class IngestService {

    /** The answer to an upload; {@code replayed} when a retry of an accepted upload was recognised. */
    public record Outcome(Map<String, Object> body, boolean replayed) {
    }

    private final RoundRepository rounds;
    private final FederationRuntime runtime;
    private final RunningAggregates aggregates;
    private final RoundSignals signals;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final Semaphore permits;

    IngestService(RoundRepository rounds, FederationRuntime runtime, RunningAggregates aggregates, RoundSignals signals,
                  AuditLog audit, TransactionTemplate tx, ObjectMapper json, Clock clock, HansaProperties properties) {
        this.rounds = rounds;
        this.runtime = runtime;
        this.aggregates = aggregates;
        this.signals = signals;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.permits = new Semaphore(Math.max(1, properties.ingestPermits()));
    }

    /** The bytes of an upload, read only once the service is ready to hold them. */
    @FunctionalInterface
    public interface Body {
        byte[] read() throws IOException;
    }

    public Outcome ingest(ClientPrincipal client, UUID roundId, String key, Body body) throws IOException {
        if (key == null || key.isBlank() || key.length() > 128) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "missing-idempotency-key",
                    "header Idempotency-Key is required (1..128 characters)");
        }
        Round round = rounds.find(roundId).orElseThrow(() ->
                new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + roundId));
        Participant participant = round.federationId().equals(client.federationId())
                ? rounds.participant(roundId, client.clientId(), false).orElse(null) : null;
        if (participant == null) {
            throw new HansaProblem(HttpStatus.FORBIDDEN, "not-a-participant",
                    "client " + client.clientId() + " was not selected for round " + roundId);
        }
        Outcome replay = replayOrConflict(participant, key);
        if (replay != null) {
            return replay;
        }
        if (!Round.OPEN.equals(round.state())) {
            refuseLate(round, client);
        }
        FederationRuntime.Context ctx = runtime.context(round.federationId());
        acquirePermit();
        try {
            byte[] bytes = body.read();
            Decoded decoded = decode(round, client, bytes, ctx);
            Outcome outcome = tx.execute(s -> record(round, client, key, bytes, decoded));
            if (!outcome.replayed()) {
                aggregates.fold(roundId, client.clientId(),
                        new ClientUpdate(client.clientId().toString(), participant.role(), decoded.weights(),
                                decoded.meta().numSamples(), decoded.meta().metrics()),
                        () -> ctx.strategy().newAggregator(round.context(), ctx.spec()));
                signals.signal(round.federationId());
            }
            return outcome;
        } finally {
            permits.release();
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

    private record Decoded(ModelWeights weights, UpdateMetadata meta, double norm) {
    }

    private Decoded decode(Round round, ClientPrincipal client, byte[] body, FederationRuntime.Context ctx) {
        try {
            Safetensors.Contents contents = Safetensors.read(body, ctx.spec());
            int bad = contents.weights().firstNonFinite();
            if (bad >= 0) {
                throw new HansaProblem(HttpStatus.BAD_REQUEST, "non-finite-update", "tensor '"
                        + contents.weights().tensorAt(bad) + "' holds a NaN or infinity at flat index " + bad);
            }
            return new Decoded(contents.weights(), UpdateMetadata.parse(contents.metadata()), contents.weights().l2Norm());
        } catch (InvalidTensorsException e) {
            reject(round, client, e.reason(), e.getMessage());
            throw e;
        } catch (HansaProblem e) {
            reject(round, client, e.reason(), e.getMessage());
            throw e;
        }
    }

    private Outcome record(Round round, ClientPrincipal client, String key, byte[] body, Decoded decoded) {
        Round locked = rounds.lock(round.id(), false).orElseThrow();
        Participant p = rounds.participant(round.id(), client.clientId(), true).orElseThrow();
        Outcome replay = replayOrConflict(p, key);
        if (replay != null) {
            return replay;
        }
        if (!Round.OPEN.equals(locked.state())) {
            refuseLate(locked, client);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", "ACCEPTED");
        response.put("roundId", round.id().toString());
        response.put("bytes", body.length);
        response.put("updateNorm", decoded.norm());
        rounds.insertUpdate(round.id(), client.clientId(), body);
        rounds.accept(round.id(), client.clientId(), key, json.writeValueAsString(response), body.length,
                decoded.norm(), decoded.meta().numSamples(), json.writeValueAsString(decoded.meta().metrics()), now());
        return new Outcome(response, false);
    }

    private Outcome replayOrConflict(Participant p, String key) {
        if (!Participant.ACCEPTED.equals(p.state())) {
            return null;
        }
        if (key.equals(p.idempotencyKey())) {
            return new Outcome(json.readValue(p.acceptedResponse(), new TypeReference<Map<String, Object>>() { }), true);
        }
        throw new HansaProblem(HttpStatus.CONFLICT, "already-submitted",
                "an update was already accepted for this round under another Idempotency-Key");
    }

    private void refuseLate(Round round, ClientPrincipal client) {
        tx.executeWithoutResult(s -> rounds.markLate(round.id(), client.clientId(), now()));
        throw new HansaProblem(HttpStatus.CONFLICT, "round-closed",
                "round " + round.number() + " (attempt " + round.attempt() + ") is " + round.state() + "; the upload came too late");
    }

    private void reject(Round round, ClientPrincipal client, String reason, String detail) {
        tx.executeWithoutResult(s -> {
            rounds.recordRejection(round.id(), client.clientId(), reason);
            audit.record("client:" + client.clientId(), "update.rejected", round.id().toString(),
                    Map.of("reason", reason, "detail", detail));
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    }
}
