package dev.hansa.server.round;

import java.util.UUID;

/**
 * A participant row, as ingestion and closing need it.
 *
 * @param codec           the codec its plan told it to encode its update with
 * @param declaredSamples the sample count its client declared when it enrolled or last heartbeated
 * @param clippedTo       the norm its accepted update was clipped to, or null
 */
record Participant(UUID roundId, UUID clientId, int ordinal, String role, String codec, ParticipantState state,
                   String idempotencyKey, String acceptedResponse, long declaredSamples, Double clippedTo) {
}
