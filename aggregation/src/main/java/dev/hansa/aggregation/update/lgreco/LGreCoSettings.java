package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.tensor.ModelSpec;
import java.util.Map;

/**
 * The {@code update.lgreco} section: L-GreCo's per-tensor planning of a codec's knob ({@link LGreCoKnob},
 * {@link LGreCoPlanning}).
 *
 * @param every   re-plan after every {@code every}-th round (rounds {@code every}, {@code 2 every}, ...), from the
 *                errors that round's participants measured
 * @param options the size of each tensor's option grid, the uniform setting in the middle: for topk's density and
 *                sparseloco's kPerChunk the uniform value times {@code 2^(2j/(options-1) - 1)}, j = 0..options-1,
 *                from half to twice it (the range [0.5 r, 2 r] the official code searches around PowerSGD's rank
 *                r); for qsgd's levels one code bit more or less per step ({@link QsgdKnob}); odd, 3 to 9
 */
public record LGreCoSettings(int every, int options) {

    public static final int DEFAULT_OPTIONS = 5;
    /**
     * The most error reports (tensors x options) an update may carry: each is a metadata entry, and an update may
     * carry 64 ({@code UpdateMetadata.MAX_ENTRIES}); 16 stay free for the sample count and the client's metrics.
     */
    public static final int MAX_REPORTS = 48;

    public LGreCoSettings {
        if (every < 1 || every > 1_000_000) {
            throw new IllegalArgumentException("update.lgreco.every must be an integer in [1, 1000000], got " + every);
        }
        if (options < 3 || options > 9 || options % 2 == 0) {
            throw new IllegalArgumentException("update.lgreco.options must be odd, in [3, 9], got " + options);
        }
    }

    /** The section, or null when it is absent or empty (L-GreCo off). */
    public static LGreCoSettings parse(Hyperparameters section) {
        if (!section.has("every") && !section.has("options")) {
            section.done();
            return null;
        }
        if (!section.has("every")) {
            throw new IllegalArgumentException("update.lgreco.every is required: the rounds between re-plans");
        }
        int every = (int) section.integer("every", 1, 1, 1_000_000);
        int options = (int) section.integer("options", DEFAULT_OPTIONS, 3, 9);
        section.done();
        return new LGreCoSettings(every, options);
    }

    /** The section as a config states it. */
    public Map<String, Object> toMap() {
        return Map.of("every", every, "options", options);
    }

    /** The geometric grid's factors on the uniform value, ascending, 1 in the middle. */
    public double[] factors() {
        double[] f = new double[options];
        int half = (options - 1) / 2;
        for (int j = 0; j < options; j++) {
            f[j] = Math.pow(2, (double) (j - half) / half);
        }
        f[half] = 1;
        return f;
    }

    /** The option in the middle of the grid: the uniform setting. */
    public int uniform() {
        return (options - 1) / 2;
    }

    /**
     * Checks that the error reports of a model of {@code spec} fit an update's metadata.
     *
     * @throws IllegalArgumentException naming {@code update.lgreco.options} when they do not
     */
    public void checkModel(ModelSpec spec) {
        long reports = (long) spec.tensors().size() * options;
        if (reports > MAX_REPORTS) {
            throw new IllegalArgumentException("update.lgreco.options: " + spec.tensors().size() + " tensors x "
                    + options + " options = " + reports + " error reports per update, at most " + MAX_REPORTS
                    + " fit an update's metadata; use fewer options");
        }
    }
}
