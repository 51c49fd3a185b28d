package dev.hansa.aggregation.update;

import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import java.util.Map;

/**
 * How a participant prepares its update for the wire, as its plan carries it (the federation's {@code update}
 * section): clip to a norm, error feedback, codec. Validated on construction; every message names the field.
 *
 * @param codec         the codec name ({@code dense} by default)
 * @param clipNorm      clip the update to this L2 norm before encoding; 0 disables
 * @param errorFeedback carry what a lossy codec loses over to the next round
 */
public record UpdateSpec(String codec, double clipNorm, boolean errorFeedback) {

    public static final UpdateSpec DENSE = new UpdateSpec(DenseCodec.NAME, 0, false);

    /** The spec as the {@code update} section states it (recorded with each round). */
    public Map<String, Object> toMap() {
        return Map.of("codec", codec, "clipNorm", clipNorm, "errorFeedback", errorFeedback);
    }

    public UpdateSpec {
        codec = codec == null ? DenseCodec.NAME : codec;
        boolean lossless = UpdateCodecs.byName(codec).lossless();
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("update.clipNorm must be finite and >= 0 (0: off), got " + clipNorm);
        }
        if (errorFeedback && lossless) {
            throw new IllegalArgumentException("update.errorFeedback applies to lossy codecs only; " + codec
                    + " is lossless");
        }
    }
}
