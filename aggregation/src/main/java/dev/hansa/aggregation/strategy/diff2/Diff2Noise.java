package dev.hansa.aggregation.strategy.diff2;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.dp.ReleaseSchedule;
import dev.hansa.aggregation.state.State;
import dev.hansa.privacy.mechanism.DpFedAvgSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DIFF2's two kinds of release in a DP federation: a restart round releases the noised sum of gradients clipped to
 * {@code C1} ({@code privacy.clipNorm}) with multiplier {@code z1} ({@code privacy.noiseMultiplier}); a difference
 * round releases the noised sum of gradient differences clipped to {@code C_{2,r} = C2 ||x_{r-1} - x_{r-2}||}
 * ({@code privacy.differenceClipFactor}, times the last step length, which the released models determine) with
 * multiplier {@code z2} ({@code privacy.differenceNoiseMultiplier}, default z1). Each round is one sampled Gaussian
 * mechanism with its own multiplier, so the accountant composes the two kinds as heterogeneous rounds.
 *
 * <p>A step of length 0 (a restart round without participants) would give a clip of 0, which no update spec can
 * carry; the clip is then {@value #MIN_CLIP_SHARE} C1 instead (every honest difference is 0 then, and the noise
 * stays calibrated to the clip).
 *
 * @param strategy                  whose rounds restart when
 * @param clipNorm                  C1
 * @param noiseMultiplier           z1
 * @param differenceNoiseMultiplier z2
 * @param differenceClipFactor      C2 > 0, a smoothness constant's role: a difference's norm is at most L times the
 *                                  step
 */
public record Diff2Noise(Diff2 strategy, double clipNorm, double noiseMultiplier, double differenceNoiseMultiplier,
                         double differenceClipFactor) implements ReleaseSchedule {

    /** The smallest difference clip, as a share of C1. */
    public static final double MIN_CLIP_SHARE = 1e-6;

    private static final String Z2 = "differenceNoiseMultiplier";
    private static final String C2 = "differenceClipFactor";
    /** The fields of the {@code privacy} section that only DIFF2 reads. */
    public static final List<String> FIELDS = List.of(Z2, C2);

    /**
     * The release schedule of {@code strategy} under {@code settings} and the DIFF2 fields of the {@code privacy}
     * section ({@link #FIELDS}, split off by the caller).
     *
     * @param plannedSigma whether z1 was planned from {@code privacy.targetEpsilon}: the plan assumed one
     *                     multiplier, so z2 may not differ from it
     * @throws IllegalArgumentException naming the field
     */
    public static Diff2Noise of(Diff2 strategy, DpFedAvgSettings settings, Map<String, ?> fields,
                                boolean plannedSigma) {
        Hyperparameters h = new Hyperparameters("privacy", "strategy diff2", fields);
        if (!h.has(C2)) {
            throw new IllegalArgumentException("privacy." + C2 + " is required for strategy diff2 (the difference "
                    + "rounds' clip is this factor times the last step length)");
        }
        if (plannedSigma && h.has(Z2)) {
            throw new IllegalArgumentException("privacy." + Z2 + ": targetEpsilon plans one multiplier for both "
                    + "kinds of round; give noiseMultiplier and " + Z2 + " instead");
        }
        double z2 = h.real(Z2, settings.noiseMultiplier(), 0, true, 1e6, true);
        double c2 = h.real(C2, 0, 0, false, 1e9, true);
        h.done();
        return new Diff2Noise(strategy, settings.clipNorm(), settings.noiseMultiplier(), z2, c2);
    }

    /** Moves the DIFF2 fields out of {@code privacy} into the returned map. */
    public static Map<String, Object> split(Map<String, Object> privacy) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (privacy.containsKey(field)) {
                out.put(field, privacy.remove(field));
            }
        }
        return out;
    }

    @Override
    public double clip(long round, State state) {
        if (strategy.restart(round)) {
            return clipNorm;
        }
        return Math.max(differenceClipFactor * state.scalar(Diff2.STEP, 0), MIN_CLIP_SHARE * clipNorm);
    }

    @Override
    public double noiseMultiplier(long round) {
        return strategy.restart(round) ? noiseMultiplier : differenceNoiseMultiplier;
    }

    /** The DIFF2 fields as the federation records them. */
    public Map<String, Object> toMap() {
        return Map.of(Z2, differenceNoiseMultiplier, C2, differenceClipFactor);
    }
}
