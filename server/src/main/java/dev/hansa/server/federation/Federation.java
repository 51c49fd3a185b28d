package dev.hansa.server.federation;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A federation row. */
public record Federation(UUID id, String name, FederationConfig config, FederationState state, String failureReason,
                         OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    /** Finished or failed: nothing will happen to it any more unless an operator retries its failed round. */
    public boolean isOver() {
        return state == FederationState.FINISHED || state == FederationState.FAILED;
    }
}
