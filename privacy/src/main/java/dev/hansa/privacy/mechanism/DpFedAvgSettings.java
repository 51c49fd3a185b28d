package dev.hansa.privacy.mechanism;

import dev.hansa.privacy.accounting.RdpAccountant;
import dev.hansa.privacy.accounting.SampledGaussianEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code privacy} section of a federation's config: client-level DP-FedAvg with Poisson sampling. Validated on
 * construction; every message starts with the field it concerns ({@code privacy.delta must be ...}).
 *
 * @param noiseMultiplier z, the whole round's noise multiplier (the accountant's sigma), >= 0; with adaptive
 *                        clipping the update sum gets {@link AdaptiveClipping#valueNoiseMultiplier} and the count the
 *                        rest
 * @param targetEpsilon   the epsilon z was planned for ({@code NaN} when z was given)
 * @param clipNorm        C, the L2 bound on each update (adaptive clipping: the first round's), > 0
 * @param adaptive        adaptive clipping, or empty for a fixed clip
 * @param samplingRate    q, each client's probability of taking part in a round, in (0, 1]
 * @param epsilon         the budget: no round opens that would take the spent epsilon past it ({@code +inf}: none)
 * @param delta           the delta epsilon is reported at, in (0, 1)
 * @param denominator     what the noised sum is divided by
 */
public record DpFedAvgSettings(double noiseMultiplier, double targetEpsilon, double clipNorm,
                               Optional<Adaptive> adaptive, double samplingRate, double epsilon, double delta,
                               Denominator denominator) {

    /**
     * Adaptive clipping's settings; {@code clippedCountStddev} NaN takes TFF's default, m/20 with m the round's
     * expected participants.
     */
    public record Adaptive(double targetQuantile, double learningRate, double clippedCountStddev) {

        public Adaptive {
            // Checks the fields (a NaN sigma_b stands for "the default", checked once resolved).
            new AdaptiveClipping(targetQuantile, learningRate, Double.isNaN(clippedCountStddev) ? 1 : clippedCountStddev);
        }

        /** The rule for a round that expects {@code expectedParticipants}. */
        public AdaptiveClipping rule(double expectedParticipants) {
            return new AdaptiveClipping(targetQuantile, learningRate, Double.isNaN(clippedCountStddev)
                    ? AdaptiveClipping.defaultClippedCountStddev(expectedParticipants) : clippedCountStddev);
        }
    }

    public DpFedAvgSettings {
        require(noiseMultiplier >= 0 && Double.isFinite(noiseMultiplier), "privacy.noiseMultiplier",
                "finite and >= 0", noiseMultiplier);
        require(Double.isNaN(targetEpsilon) || targetEpsilon > 0 && Double.isFinite(targetEpsilon),
                "privacy.targetEpsilon", "finite and > 0", targetEpsilon);
        require(clipNorm > 0 && Double.isFinite(clipNorm), "privacy.clipNorm", "finite and > 0", clipNorm);
        require(samplingRate > 0 && samplingRate <= 1, "privacy.samplingRate", "in (0, 1]", samplingRate);
        require(epsilon > 0, "privacy.epsilon", "> 0 (or absent: no budget)", epsilon);
        require(delta > 0 && delta < 1, "privacy.delta", "in (0, 1)", delta);
        if (adaptive == null || denominator == null) {
            throw new IllegalArgumentException("privacy: adaptive and denominator must not be null");
        }
        adaptive.ifPresent(a -> {
            if (!Double.isNaN(a.clippedCountStddev())) {
                a.rule(1).valueNoiseMultiplier(noiseMultiplier);
            }
        });
    }

    /**
     * Checks delta against the population: the guarantee fails for someone when delta >= 1/N, since a mechanism
     * that publishes one random client's data outright is (0, 1/N)-DP.
     *
     * @throws IllegalArgumentException naming {@code privacy.delta}
     */
    public void checkPopulation(int clients, String whatTheCountIs) {
        if (delta >= 1.0 / clients) {
            throw new IllegalArgumentException("privacy.delta " + delta + " must be below 1/N = 1/" + clients + " ("
                    + whatTheCountIs + "): a delta of 1/N allows publishing one client's update in the clear");
        }
    }

    /** One round's event for the accountant: Poisson rate q, multiplier z, one step. */
    public SampledGaussianEvent roundEvent() {
        return new SampledGaussianEvent(samplingRate, noiseMultiplier, 1);
    }

    /** Whether one more round after {@code spent} stays within the budget, and what epsilon it would reach. */
    public Optional<String> refusal(RdpAccountant spent) {
        return refusal(spent, roundEvent());
    }

    /**
     * Whether round event {@code round} after {@code spent} stays within the budget: for mechanisms whose rounds
     * differ (DIFF2's gradient and difference rounds have their own multipliers).
     */
    public Optional<String> refusal(RdpAccountant spent, SampledGaussianEvent round) {
        double next = spent.compose(round).epsilon(delta);
        if (next <= epsilon) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT, "privacy budget: one more round would spend epsilon "
                + "%.4f at delta %.3g, past the budget privacy.epsilon = %.4f (spent so far: %.4f after %d rounds)",
                next, delta, epsilon, spent.epsilon(delta), spent.events().size()));
    }

    /** The settings as the federation records them, defaults and the planned multiplier included. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("noiseMultiplier", noiseMultiplier);
        if (!Double.isNaN(targetEpsilon)) {
            out.put("targetEpsilon", targetEpsilon);
        }
        out.put("clipNorm", clipNorm);
        out.put("adaptiveClipping", adaptive.isPresent());
        adaptive.ifPresent(a -> {
            out.put("targetQuantile", a.targetQuantile());
            out.put("clipLearningRate", a.learningRate());
            if (!Double.isNaN(a.clippedCountStddev())) {
                out.put("clippedCountStddev", a.clippedCountStddev());
            }
        });
        out.put("samplingRate", samplingRate);
        if (epsilon != Double.POSITIVE_INFINITY) {
            out.put("epsilon", epsilon);
        }
        out.put("delta", delta);
        out.put("denominator", denominator.name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }

    private static void require(boolean ok, String field, String what, double got) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + what + ", got " + got);
        }
    }
}
