package dev.hansa.client.privacy;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.client.training.PerExampleClipping;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client's own example-level DP-SGD settings (the {@code privacy.local} section of its config): the client chooses
 * them, not the server, because it is the client that does not trust the server. See {@link LocalDpSgd}.
 *
 * @param noiseMultiplier sigma > 0: the Gaussian noise per step has standard deviation sigma * clip per coordinate
 * @param clip            the L2 bound C > 0 of every example's gradient
 * @param delta           the client's delta in (0, 1), checked against its example count when it trains
 * @param epsilon         the client's budget at {@code delta}: it refuses a round that would take it past this;
 *                        infinite for none
 * @param clipping        how per-example norms are found (ghost clipping unless told otherwise; same result)
 * @param seededNoise     noise and sampling from the plan's seed, for reproducible simulations only (anyone who knows
 *                        the seed, the server included, can subtract the noise); otherwise from the operating system
 */
public record LocalDpConfig(double noiseMultiplier, double clip, double delta, double epsilon,
                            PerExampleClipping clipping, boolean seededNoise) {

    /** Where the section sits in a client's config, prefixed to field names in messages. */
    public static final String PATH = "privacy.local";

    public LocalDpConfig {
        require(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "noiseMultiplier",
                "must be finite and > 0", noiseMultiplier);
        require(clip > 0 && Double.isFinite(clip), "clip", "must be finite and > 0", clip);
        require(delta > 0 && delta < 1, "delta", "must be in (0, 1)", delta);
        require(epsilon > 0, "epsilon", "must be > 0 (infinite for no budget)", epsilon);
        if (clipping == null) {
            throw new IllegalArgumentException(PATH + ".clipping must be one of " + clippingNames());
        }
    }

    /**
     * Parses the section: {@code noiseMultiplier} and {@code clip} (required), {@code delta} (default 1e-5),
     * {@code epsilon} (default: no budget), {@code clipping} ({@code ghost} or {@code naive}); unknown fields are
     * refused.
     */
    public static LocalDpConfig fromMap(Map<String, ?> section, boolean seededNoise) {
        Hyperparameters h = new Hyperparameters(PATH, "local DP-SGD", section);
        double sigma = required(h, "noiseMultiplier");
        double clip = required(h, "clip");
        double delta = h.real("delta", 1e-5, 0, false, 1, false);
        double epsilon = h.real("epsilon", Double.POSITIVE_INFINITY, 0, false, Double.POSITIVE_INFINITY, true);
        String clipping = h.choice("clipping", "ghost", clippingNames());
        h.done();
        return new LocalDpConfig(sigma, clip, delta, epsilon,
                PerExampleClipping.valueOf(clipping.toUpperCase(Locale.ROOT)), seededNoise);
    }

    /** Refuses a client whose {@code examples} make {@code delta} meaningless (delta >= 1/n releases an example). */
    public void checkExamples(int examples) {
        if (delta * examples >= 1) {
            throw new IllegalArgumentException(PATH + ".delta must be below 1 / the client's " + examples
                    + " examples, got " + delta);
        }
    }

    private static double required(Hyperparameters h, String name) {
        if (!h.has(name)) {
            throw new IllegalArgumentException(h.field(name) + " is required");
        }
        return h.real(name, Double.NaN, 0, false, Double.POSITIVE_INFINITY, false);
    }

    private static List<String> clippingNames() {
        return List.of("ghost", "naive");
    }

    private static void require(boolean ok, String field, String rule, double value) {
        if (!ok) {
            throw new IllegalArgumentException(PATH + "." + field + " " + rule + ", got " + value);
        }
    }
}
