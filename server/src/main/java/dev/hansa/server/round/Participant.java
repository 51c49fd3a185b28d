package dev.hansa.server.round;

import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import java.util.UUID;

/**
 * A participant row, as ingestion and closing need it.
 *
 * @param codec           the codec its plan told it to encode its update with
 * @param codecK          the plan's {@code update.k} (0 for a codec without one)
 * @param planSeed        its plan's seed, which codecs with shared randomness ({@code randk}) draw from
 * @param declaredSamples the sample count its client declared when it enrolled or last heartbeated
 * @param clippedTo       the norm its accepted update was clipped to, or null
 */
record Participant(UUID roundId, UUID clientId, int ordinal, String role, String codec, double codecK, long planSeed,
                   ParticipantState state, String idempotencyKey, String acceptedResponse, long declaredSamples,
                   Double clippedTo) {

    /** The codec its update is decoded with, bound to its seed. */
    UpdateCodec decoder() {
        return UpdateCodecs.create(codec, codecK).forParticipant(planSeed);
    }
}
