package dev.hansa.server.federation;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A federation as the admin API shows it: its state, timestamps and config (as stored, defaults filled in).
 *
 * @param failureReason why it failed (null unless {@code FAILED})
 */
record FederationView(String id, String name, FederationState state, String failureReason, OffsetDateTime createdAt,
                      OffsetDateTime startedAt, OffsetDateTime finishedAt, Map<String, Object> config) {

    static FederationView of(Federation f) {
        return new FederationView(f.id().toString(), f.name(), f.state(), f.failureReason(), f.createdAt(),
                f.startedAt(), f.finishedAt(), f.config().toMap());
    }
}
