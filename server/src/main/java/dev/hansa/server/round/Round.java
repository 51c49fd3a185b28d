package dev.hansa.server.round;

import dev.hansa.aggregation.strategy.RoundContext;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A round row. */
public record Round(UUID id, UUID federationId, int number, int attempt, String state, long seed,
                    UUID modelVersionIn, String broadcastHash, int participants, int totalClients, int quorum,
                    OffsetDateTime openedAt, OffsetDateTime deadlineAt) {

    public static final String OPEN = "OPEN";
    public static final String CLOSED = "CLOSED";
    public static final String FAILED = "FAILED";

    public RoundContext context() {
        return new RoundContext(number, totalClients, participants, seed);
    }
}
