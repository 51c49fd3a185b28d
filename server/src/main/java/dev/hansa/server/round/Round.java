package dev.hansa.server.round;

import dev.hansa.aggregation.strategy.RoundContext;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A round row: one attempt of a federation's round. */
record Round(UUID id, UUID federationId, int number, int attempt, RoundState state, long seed, UUID modelVersionIn,
             String broadcastHash, int participants, int totalClients, int quorum, OffsetDateTime openedAt,
             OffsetDateTime deadlineAt) {

    RoundContext context() {
        return new RoundContext(number, totalClients, participants, seed);
    }

    /** "round 3 (attempt 2)", for messages. */
    String label() {
        return "round " + number + " (attempt " + attempt + ")";
    }
}
