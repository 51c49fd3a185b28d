package dev.hansa.server.federation;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A federation row. */
public record Federation(UUID id, String name, FederationConfig config, String status, String failureReason,
                         OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    public static final String CREATED = "CREATED";
    public static final String RUNNING = "RUNNING";
    public static final String STOPPED = "STOPPED";
    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";

    public boolean isOver() {
        return FINISHED.equals(status) || FAILED.equals(status);
    }
}
