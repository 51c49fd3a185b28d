package dev.hansa.aggregation.update.transform;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The error-feedback rules by name ({@code update.errorFeedbackRule}), with their parameters
 * ({@code update.errorFeedbackParams}): {@value #CLASSIC} (residual, the default), {@value #DECAYED} (residual times
 * {@code decay}, default 0.95, SparseLoCo's), {@value #EF21} and {@value #ECONTROL} ({@code strength} eta, default
 * 0.1: at the reference implementation's 0.001 the accumulated error returns over about 1/eta = 1000 rounds, too
 * slow for federations of a few hundred rounds; docs/algorithms.md). The last two send corrections to an estimate the
 * server keeps ({@link #needsServerEstimate}).
 */
public final class ErrorFeedbackRules {

    public static final String CLASSIC = "classic";
    public static final String DECAYED = "decayed";
    public static final String EF21 = "ef21";
    public static final String ECONTROL = "econtrol";

    private ErrorFeedbackRules() {
    }

    public static List<String> names() {
        return List.of(CLASSIC, DECAYED, EF21, ECONTROL);
    }

    /** Whether the server must keep the running estimate of the rule's messages ({@code EstimateAccumulation}). */
    public static boolean needsServerEstimate(String rule) {
        return rule.equals(EF21) || rule.equals(ECONTROL);
    }

    /**
     * The rule's parameters with their defaults filled in; errors name the field
     * ({@code update.errorFeedbackRule}, {@code update.errorFeedbackParams.decay}, ...).
     */
    public static Map<String, Double> params(String rule, Map<String, ?> given) {
        return params(rule, new Hyperparameters("update.errorFeedbackParams", rule, given));
    }

    /** {@link #params(String, Map)} on a section the caller has already opened. */
    public static Map<String, Double> params(String rule, Hyperparameters h) {
        if (!names().contains(rule)) {
            throw new IllegalArgumentException("update.errorFeedbackRule must be one of " + names() + ", got " + rule);
        }
        switch (rule) {
            case DECAYED -> h.real("decay", 0.95, 0, false, 1, true);
            case ECONTROL -> h.real("strength", 0.1, 0, true, 1, true);
            default -> {
            }
        }
        h.done();
        Map<String, Double> effective = new TreeMap<>();
        h.effective().forEach((k, v) -> effective.put(k, ((Number) v).doubleValue()));
        return Map.copyOf(effective);
    }

    /** {@code codec}, which every rule needs to be lossy (a lossless one loses nothing to feed back). */
    static UpdateCodec lossy(UpdateCodec codec) {
        if (codec.lossless()) {
            throw new IllegalArgumentException("update.errorFeedback needs a lossy codec; " + codec.name()
                    + " is lossless");
        }
        return codec;
    }

    /** The client transform of {@code rule} with its (validated) {@code params}, for {@code codec}. */
    public static UpdateTransform create(String rule, Map<String, Double> params, UpdateCodec codec) {
        return switch (rule) {
            case CLASSIC -> new ErrorFeedback(codec);
            case DECAYED -> new ErrorFeedback(codec, params.get("decay"));
            case EF21 -> new Ef21(codec);
            case ECONTROL -> new EControl(codec, params.get("strength"));
            default -> throw new IllegalArgumentException("update.errorFeedbackRule must be one of " + names()
                    + ", got " + rule);
        };
    }
}
