package dev.hansa.server.round;

import dev.hansa.server.client.ClientRevoked;
import dev.hansa.server.federation.FederationEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What changes elsewhere mean for rounds, handled inside the transaction that makes them: a stopped federation's
 * open round is cancelled (its updates dropped, further uploads refused with round-cancelled), a revoked client's
 * open assignments are dropped, a deleted federation's rounds go with it; every change wakes the orchestrator and the long-polling clients once it commits.
 */
@Component
class FederationEvents {

    private final RoundRepository rounds;
    private final RoundOrchestrator orchestrator;
    private final RoundSignals signals;

    FederationEvents(RoundRepository rounds, RoundOrchestrator orchestrator, RoundSignals signals) {
        this.rounds = rounds;
        this.orchestrator = orchestrator;
        this.signals = signals;
    }

    /** A revoked client will never report: its open assignments end now, so its rounds need not wait for it. */
    @EventListener
    void on(ClientRevoked revoked) {
        rounds.dropOpenAssignments(revoked.clientId(), "credential-revoked");
        signals.afterCommit(revoked.federationId());
    }

    @EventListener
    void on(FederationEvent event) {
        switch (event) {
            case FederationEvent.Stopped stopped -> rounds.open(stopped.federationId()).ifPresent(round -> {
                rounds.lock(round.id(), true);
                orchestrator.endWithout(round, RoundState.CANCELLED, rounds.acceptedCount(round.id()),
                        "the federation was stopped by " + stopped.actor());
            });
            case FederationEvent.Deleted deleted -> {
                rounds.roundIds(deleted.federationId()).forEach(orchestrator::forget);
                rounds.deleteAll(deleted.federationId());
            }
            case FederationEvent.Started started -> { }
        }
        signals.afterCommit(event.federationId());
    }
}
