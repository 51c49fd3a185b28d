package dev.hansa.server.round;

import java.util.UUID;

/** A participant row, as ingestion needs it. */
record Participant(UUID roundId, UUID clientId, int ordinal, String role, String state, String idempotencyKey,
                   String acceptedResponse, long numSamples, String trainMetrics) {

    static final String ASSIGNED = "ASSIGNED";
    static final String ACCEPTED = "ACCEPTED";
    static final String DROPPED = "DROPPED";
    static final String LATE = "LATE";
}
