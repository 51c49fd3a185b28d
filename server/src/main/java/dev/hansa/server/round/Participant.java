package dev.hansa.server.round;

import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.UUID;

/**
 * A participant row, as ingestion and closing need it.
 *
 * @param update          how its plan told it to prepare its update (codec, size, codec parameters)
 * @param planSeed        its plan's seed, which codecs with shared randomness ({@code randk}, {@code qsgd}) draw from
 * @param declaredSamples the sample count its client declared when it enrolled or last heartbeated
 * @param clippedTo       the norm its accepted update was clipped to, or null
 */
record Participant(UUID roundId, UUID clientId, int ordinal, String role, UpdateSpec update, long planSeed,
                   ParticipantState state, String idempotencyKey, String acceptedResponse, long declaredSamples,
                   Double clippedTo) {

    /** The codec its update is decoded with, bound to its seed. */
    UpdateCodec decoder() {
        return update.createCodec().forParticipant(planSeed);
    }
}
