package dev.hansa.server.federation;

import java.util.UUID;

/**
 * A change of a federation's state (or its deletion), published inside the transaction that makes it: the round orchestration
 * listens (cancelling the open round of a stopped federation in the same transaction, waking up after commit)
 * without the federation feature depending on it.
 */
public sealed interface FederationEvent {

    UUID federationId();

    /** The federation started or resumed. */
    record Started(UUID federationId) implements FederationEvent {
    }

    /**
     * An operator is deleting the federation with its data: each feature deletes its rows of it (rounds first, as
     * they name model versions and clients) and forgets what it caches, before the federation's own rows go.
     */
    record Deleted(UUID federationId, String actor) implements FederationEvent {
    }

    /** An operator stopped the federation; its open round must end now. */
    record Stopped(UUID federationId, String actor) implements FederationEvent {
    }
}
