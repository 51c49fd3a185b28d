package dev.hansa.server.round;

import dev.hansa.server.federation.Federation;
import dev.hansa.server.federation.FederationService;
import dev.hansa.server.federation.FederationState;
import dev.hansa.server.system.AuditLog;
import dev.hansa.server.system.HansaProblem;
import dev.hansa.server.system.RowViews;
import dev.hansa.server.system.Timestamps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rounds as operators see and steer them: listings and details with their participants' counts, cancelling the open
 * round, retrying a round that failed for good. Every change is audit-logged in its transaction.
 */
@Service
public class RoundAdminService {

    private final RoundRepository rounds;
    private final FederationService federations;
    private final RoundOrchestrator orchestrator;
    private final AuditLog audit;
    private final RowViews views;
    private final Timestamps time;

    RoundAdminService(RoundRepository rounds, FederationService federations, RoundOrchestrator orchestrator,
                      AuditLog audit, RowViews views, Timestamps time) {
        this.rounds = rounds;
        this.federations = federations;
        this.orchestrator = orchestrator;
        this.audit = audit;
        this.views = views;
        this.time = time;
    }

    List<Map<String, Object>> list(UUID federation) {
        federations.require(federation);
        return views.view(rounds.listRounds(federation));
    }

    /** One round: its row, timing, participant counts, bytes, metrics, and its refusals counted by reason. */
    Map<String, Object> detail(UUID roundId) {
        Map<String, Object> view = new LinkedHashMap<>(views.view(rounds.roundView(roundId)
                .orElseThrow(() -> unknown(roundId))));
        view.put("rejectionReasons", views.view(rounds.rejectionReasons(roundId)));
        return view;
    }

    List<Map<String, Object>> participants(UUID roundId) {
        require(roundId);
        return views.view(rounds.listParticipants(roundId));
    }

    /**
     * Cancels the open round: its participants still assigned are released (dropped), its accepted updates dropped;
     * a running federation then opens a new attempt of the same round (cancelled attempts do not count against
     * {@code maxAttempts}), a paused one stays paused.
     */
    @Transactional
    public Map<String, Object> cancel(UUID roundId, String actor) {
        Round round = rounds.lock(roundId, true).orElseThrow(() -> unknown(roundId));
        if (round.state() != RoundState.OPEN) {
            throw new HansaProblem(HttpStatus.CONFLICT, "round-not-open",
                    round.label() + " is " + round.state() + "; only the open round can be cancelled");
        }
        int accepted = rounds.acceptedCount(roundId);
        orchestrator.endWithout(round, RoundState.CANCELLED, accepted, "cancelled by " + actor);
        audit.record(actor, "round.cancel", roundId.toString(), Map.of("federation", round.federationId().toString(),
                "round", round.number(), "attempt", round.attempt(), "accepted", accepted));
        return detail(roundId);
    }

    /**
     * Retries a round that failed for good: the federation failed because this round ran out of attempts. The
     * failure stops counting against {@code maxAttempts} and the federation runs again, opening a new attempt.
     * While a federation still runs it retries a failed round by itself.
     */
    @Transactional
    public Map<String, Object> retry(UUID roundId, String actor) {
        Round round = rounds.lock(roundId, true).orElseThrow(() -> unknown(roundId));
        if (round.state() != RoundState.FAILED) {
            throw new HansaProblem(HttpStatus.CONFLICT, "round-not-failed",
                    round.label() + " is " + round.state() + "; only a failed round can be retried");
        }
        Federation federation = federations.require(round.federationId());
        if (federation.state() != FederationState.FAILED) {
            throw new HansaProblem(HttpStatus.CONFLICT, "federation-not-failed", "federation " + federation.id()
                    + " is " + federation.state() + "; it retries failed rounds by itself while attempts remain"
                    + " (schedule.maxAttempts)");
        }
        if (!rounds.newest(round.federationId()).orElseThrow().id().equals(roundId)) {
            throw new HansaProblem(HttpStatus.CONFLICT, "round-superseded",
                    round.label() + " is not the federation's last attempt; retry that one");
        }
        rounds.markRetried(roundId, time.now());
        federations.rerunFailed(round.federationId());
        audit.record(actor, "round.retry", roundId.toString(), Map.of("federation", round.federationId().toString(),
                "round", round.number(), "attempt", round.attempt()));
        return detail(roundId);
    }

    private Round require(UUID roundId) {
        return rounds.find(roundId).orElseThrow(() -> unknown(roundId));
    }

    private static HansaProblem unknown(UUID roundId) {
        return new HansaProblem(HttpStatus.NOT_FOUND, "unknown-round", "no round " + roundId);
    }
}
