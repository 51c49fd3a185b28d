package dev.hansa.aggregation.update;

import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.update.codec.DenseCodec;
import dev.hansa.aggregation.update.codec.FetchSgdCodec;
import dev.hansa.aggregation.update.codec.TensorSubsetCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.codec.UpdateCodecs;
import dev.hansa.aggregation.update.lgreco.LGreCoKnob;
import dev.hansa.aggregation.update.lgreco.LGreCoReport;
import dev.hansa.aggregation.update.lgreco.LGreCoSettings;
import dev.hansa.aggregation.update.transform.ErrorFeedbackRules;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a participant prepares its update for the wire, as its plan carries it (the federation's {@code update}
 * section): clip to a norm, error feedback, codec. Validated on construction; every message names the field.
 *
 * @param codec         the codec name ({@code dense} by default)
 * @param clipNorm      clip the update to this L2 norm before encoding; 0 disables
 * @param errorFeedback carry what a lossy codec loses over to the next round
 * @param k             how many coordinates a sparsifying codec ({@code topk}, {@code randk}, {@code countsketch})
 *                      keeps: a fraction in (0, 1) or a count; 0 (absent) for the other codecs
 * @param params        the codec's own parameters ({@code update.params}, e.g. {@code qsgd}'s {@code levels}), with
 *                      the codec's defaults filled in; empty for a codec without any
 * @param errorFeedbackRule   which error feedback ({@link ErrorFeedbackRules}): {@code classic} by default
 * @param errorFeedbackParams the rule's parameters with its defaults filled in ({@code decayed}'s {@code decay}, ...)
 * @param lgreco        L-GreCo's per-tensor planning of the codec's knob ({@code update.lgreco}: topk's density, qsgd's
 *                      levels, sparseloco's kPerChunk; {@link LGreCoKnob}), or null when off; on, the codec runs
 *                      each tensor at its own knob value and the client reports its errors ({@link LGreCoReport})
 * @param tensorKnob    the round's plan: the knob value each named tensor runs with, where it is not the uniform
 *                      one; only with {@code lgreco}, filled in by the server per round, never by a config
 * @param tensors       the tensors the update carries, the others being zero and not sent; empty: all. Set per round
 *                      by a fragment-wise strategy (Streaming DiLoCo), never by the {@code update} section
 */
public record UpdateSpec(String codec, double clipNorm, boolean errorFeedback, double k, Map<String, Double> params,
                         String errorFeedbackRule, Map<String, Double> errorFeedbackParams, LGreCoSettings lgreco,
                         Map<String, Double> tensorKnob, List<String> tensors) {

    public static final UpdateSpec DENSE = new UpdateSpec(DenseCodec.NAME, 0, false);

    /** A spec for a codec that takes no size and no parameters. */
    public UpdateSpec(String codec, double clipNorm, boolean errorFeedback) {
        this(codec, clipNorm, errorFeedback, 0);
    }

    /** A spec for a codec with its default parameters. */
    public UpdateSpec(String codec, double clipNorm, boolean errorFeedback, double k) {
        this(codec, clipNorm, errorFeedback, k, Map.of());
    }

    /** A spec with classic error feedback (if any). */
    public UpdateSpec(String codec, double clipNorm, boolean errorFeedback, double k, Map<String, Double> params) {
        this(codec, clipNorm, errorFeedback, k, params, ErrorFeedbackRules.CLASSIC, Map.of());
    }

    /** A spec without L-GreCo. */
    public UpdateSpec(String codec, double clipNorm, boolean errorFeedback, double k, Map<String, Double> params,
                      String errorFeedbackRule, Map<String, Double> errorFeedbackParams) {
        this(codec, clipNorm, errorFeedback, k, params, errorFeedbackRule, errorFeedbackParams, null, Map.of());
    }

    /** A spec of the whole model. */
    public UpdateSpec(String codec, double clipNorm, boolean errorFeedback, double k, Map<String, Double> params,
                      String errorFeedbackRule, Map<String, Double> errorFeedbackParams, LGreCoSettings lgreco,
                      Map<String, Double> tensorKnob) {
        this(codec, clipNorm, errorFeedback, k, params, errorFeedbackRule, errorFeedbackParams, lgreco, tensorKnob,
                List.of());
    }

    /** This spec with the round's per-tensor knob values (L-GreCo's plan). */
    public UpdateSpec withTensorKnob(Map<String, Double> perTensor) {
        return new UpdateSpec(codec, clipNorm, errorFeedback, k, params, errorFeedbackRule, errorFeedbackParams,
                lgreco, perTensor, tensors);
    }

    /** This spec for an update that carries only {@code names} (empty: all). */
    public UpdateSpec withTensors(List<String> names) {
        return new UpdateSpec(codec, clipNorm, errorFeedback, k, params, errorFeedbackRule, errorFeedbackParams,
                lgreco, tensorKnob, names);
    }

    /**
     * The spec as the {@code update} section states it (recorded with each round); {@code k}, {@code params} and the
     * error-feedback rule (with its parameters) only where they apply and are not the classic default.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new TreeMap<>(Map.of("codec", codec, "clipNorm", clipNorm,
                "errorFeedback", errorFeedback));
        if (k != 0) {
            map.put("k", k);
        }
        if (!params.isEmpty()) {
            map.put("params", params);
        }
        if (!errorFeedbackRule.equals(ErrorFeedbackRules.CLASSIC)) {
            map.put("errorFeedbackRule", errorFeedbackRule);
            if (!errorFeedbackParams.isEmpty()) {
                map.put("errorFeedbackParams", errorFeedbackParams);
            }
        }
        if (lgreco != null) {
            map.put("lgreco", lgreco.toMap());
        }
        if (!tensors.isEmpty()) {
            map.put("tensors", tensors);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * The codec this spec names, with its size and parameters and, with L-GreCo, the round's per-tensor knob values;
     * {@link UpdateCodec#forParticipant} binds a seed.
     */
    public UpdateCodec createCodec() {
        UpdateCodec whole = lgreco != null ? lgrecoKnob().codec(tensorKnob)
                : UpdateCodecs.configure(codec, k, params).codec();
        return tensors.isEmpty() ? whole : new TensorSubsetCodec(whole, tensors);
    }

    /** The codec's knob L-GreCo plans, or null without {@code lgreco}. */
    public LGreCoKnob lgrecoKnob() {
        return lgreco == null ? null : LGreCoKnob.of(codec, k, params, lgreco);
    }

    public UpdateSpec {
        codec = codec == null ? DenseCodec.NAME : codec;
        UpdateCodecs.Configured configured = UpdateCodecs.configure(codec, k, params == null ? Map.of() : params);
        params = configured.params();
        boolean lossless = configured.codec().lossless();
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("update.clipNorm must be finite and >= 0 (0: off), got " + clipNorm);
        }
        if (errorFeedback && lossless) {
            throw new IllegalArgumentException("update.errorFeedback applies to lossy codecs only; " + codec
                    + " is lossless");
        }
        if (errorFeedback && codec.equals(FetchSgdCodec.NAME)) {
            throw new IllegalArgumentException("update.errorFeedback: with codec fetchsgd the error is the server's,"
                    + " kept in sketch space (FetchSGD's virtual error), and clients keep none; leave it out");
        }
        errorFeedbackRule = errorFeedbackRule == null ? ErrorFeedbackRules.CLASSIC : errorFeedbackRule;
        errorFeedbackParams = ErrorFeedbackRules.params(errorFeedbackRule,
                errorFeedbackParams == null ? Map.of() : errorFeedbackParams);
        if (!errorFeedback && (!errorFeedbackRule.equals(ErrorFeedbackRules.CLASSIC)
                || !errorFeedbackParams.isEmpty())) {
            throw new IllegalArgumentException("update.errorFeedbackRule and update.errorFeedbackParams apply only"
                    + " with update.errorFeedback true");
        }
        tensorKnob = tensorKnob == null ? Map.of() : Map.copyOf(new TreeMap<>(tensorKnob));
        if (lgreco != null) {
            // Refuses a codec without a knob and, through the codec, a plan value it cannot take.
            LGreCoKnob.of(codec, k, params, lgreco).codec(tensorKnob);
        } else if (!tensorKnob.isEmpty()) {
            throw new IllegalArgumentException("update.tensorKnob is L-GreCo's plan; it needs update.lgreco");
        }
        tensors = tensors == null ? List.of() : List.copyOf(tensors);
        if (Set.copyOf(tensors).size() != tensors.size()
                || !tensors.stream().allMatch(TensorSpec::isValidName)) {
            throw new IllegalArgumentException("update.tensors must be distinct tensor names, got " + tensors);
        }
    }
}
