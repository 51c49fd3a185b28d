package dev.hansa.aggregation.update;

import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import java.util.Map;

/**
 * How a participant prepares its update for the wire, as its plan carries it (the federation's {@code update}
 * section): clip to a norm, error feedback, codec. Validated on construction; every message names the field.
 *
 * @param codec         the codec name ({@code dense} by default)
 * @param clipNorm      clip the update to this L2 norm before encoding; 0 disables
 * @param errorFeedback carry what a lossy codec loses over to the next round
 * @param k             how many coordinates a sparsifying codec ({@code topk}, {@code randk}) keeps: a fraction in
 *                      (0, 1) or a count; 0 (absent) for the other codecs
 */
public record UpdateSpec(String codec, double clipNorm, boolean errorFeedback, double k) {

    public static final UpdateSpec DENSE = new UpdateSpec(DenseCodec.NAME, 0, false);

    /** A spec for a codec that takes no size. */
    public UpdateSpec(String codec, double clipNorm, boolean errorFeedback) {
        this(codec, clipNorm, errorFeedback, 0);
    }

    /** The spec as the {@code update} section states it (recorded with each round); {@code k} only where it applies. */
    public Map<String, Object> toMap() {
        return k == 0 ? Map.of("codec", codec, "clipNorm", clipNorm, "errorFeedback", errorFeedback)
                : Map.of("codec", codec, "clipNorm", clipNorm, "errorFeedback", errorFeedback, "k", k);
    }

    /** The codec this spec names, with its size; {@link UpdateCodec#forParticipant} binds a participant's seed. */
    public UpdateCodec createCodec() {
        return UpdateCodecs.create(codec, k);
    }

    public UpdateSpec {
        codec = codec == null ? DenseCodec.NAME : codec;
        boolean lossless = UpdateCodecs.create(codec, k).lossless();
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("update.clipNorm must be finite and >= 0 (0: off), got " + clipNorm);
        }
        if (errorFeedback && lossless) {
            throw new IllegalArgumentException("update.errorFeedback applies to lossy codecs only; " + codec
                    + " is lossless");
        }
    }
}
