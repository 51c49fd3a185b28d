package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.InvalidUpdateException;
import dev.hansa.aggregation.update.Update;
import dev.hansa.aggregation.update.transform.ClipToNorm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server side of the update path, after the codec: admit (finite values, a plausible sample count, the norm
 * bound), then per role: pre-aggregators, aggregator. The strategy's server update (and its server optimizer) runs
 * on the result. Composed from a federation's {@code robustness} section; {@link #streaming()} tells the server
 * whether updates can be folded as they arrive or must be kept until the round closes.
 */
public final class AggregationPipeline {

    /** What happens to an update whose L2 norm exceeds {@code maxUpdateNorm}. */
    public enum NormPolicy { REJECT, CLIP }

    /**
     * The {@code robustness} section of a federation's config.
     *
     * @param aggregator          the aggregation rule ({@code mean} by default)
     * @param preAggregators      whole-round steps before it, in order
     * @param f                   the Byzantine updates per round the rules are to tolerate (0 by default)
     * @param maxUpdateNorm       bound on an update's L2 norm; 0 disables
     * @param onNormExceeded      refuse such an update or scale it down to the bound
     * @param maxSamplesPerUpdate bound on the sample count one update may claim, on top of what the client declared
     */
    public record Settings(Aggregator aggregator, List<PreAggregator> preAggregators, int f, double maxUpdateNorm,
                           NormPolicy onNormExceeded, long maxSamplesPerUpdate) {

        public static final long DEFAULT_MAX_SAMPLES = 1_000_000_000L;
        /** Bound on {@code robustness.f}, far above any round's size. */
        public static final int MAX_F = 100_000;
        public static final Settings DEFAULT = new Settings(new WeightedMean(), List.of(), 0, 0, NormPolicy.REJECT,
                DEFAULT_MAX_SAMPLES);

        public Settings {
            preAggregators = List.copyOf(preAggregators);
            if (f < 0) {
                throw new IllegalArgumentException("robustness.f must be >= 0, got " + f);
            }
            for (int i = 1; i < preAggregators.size(); i++) {
                PreAggregator before = preAggregators.get(i - 1);
                PreAggregator step = preAggregators.get(i);
                if (before.mixesRows() && !step.mixesRows()) {
                    throw new IllegalArgumentException("robustness.preAggregators[" + i + "]: " + step.name()
                            + " after " + before.name() + " would rescale mixtures of updates, not each update; put "
                            + step.name() + " first");
                }
            }
            if (!(maxUpdateNorm >= 0) || Double.isInfinite(maxUpdateNorm)) {
                throw new IllegalArgumentException("robustness.maxUpdateNorm must be finite and >= 0, got " + maxUpdateNorm);
            }
            if (maxSamplesPerUpdate < 1) {
                throw new IllegalArgumentException("robustness.maxSamplesPerUpdate must be >= 1, got " + maxSamplesPerUpdate);
            }
        }

        /** The settings as a config would state them, defaults included (recorded with each round). */
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("aggregator", aggregator.name());
            out.put("aggregatorParams", aggregator.params());
            out.put("f", f);
            List<Map<String, Object>> pre = new ArrayList<>();
            for (PreAggregator p : preAggregators) {
                Map<String, Object> entry = new LinkedHashMap<>(p.params());
                entry.put("name", p.name());
                pre.add(entry);
            }
            out.put("preAggregators", pre);
            out.put("maxUpdateNorm", maxUpdateNorm);
            out.put("onNormExceeded", onNormExceeded.name().toLowerCase(Locale.ROOT));
            out.put("maxSamplesPerUpdate", maxSamplesPerUpdate);
            return out;
        }

        /** Whether updates can be folded as they arrive (no step needs the whole round). */
        public boolean streaming() {
            return aggregator instanceof StreamingAggregator && preAggregators.isEmpty();
        }

        /**
         * Why a role's round of {@code n} updates cannot be aggregated (a step of the chain needs more rows than it
         * would get), or empty when it can.
         */
        public Optional<String> shortfall(int n) {
            int rows = n;
            for (PreAggregator p : preAggregators) {
                if (rows < p.minUpdates()) {
                    return Optional.of(describe(p.name(), p.requirement(), p.minUpdates(), rows));
                }
                rows = p.outputSize(rows);
            }
            if (rows < aggregator.minUpdates()) {
                return Optional.of(describe(aggregator.name(), aggregator.requirement(), aggregator.minUpdates(), rows));
            }
            return Optional.empty();
        }

        /**
         * The whole-round path on a role's admitted rows: the pre-aggregators in order with the round's seed, then
         * the aggregator; returns its estimate of the mean times {@code totalWeight}, the rows' total weight (a
         * streaming aggregator behind pre-aggregators sums their output). The rows must pass {@link #shortfall}.
         */
        public double[] wholeRoundSum(UpdateBatch batch, long roundSeed, double totalWeight) {
            UpdateBatch steps = batch;
            for (PreAggregator p : preAggregators) {
                steps = p.apply(steps, roundSeed);
            }
            return switch (aggregator) {
                case WholeRoundAggregator w -> {
                    double[] sum = w.aggregate(steps);
                    for (int j = 0; j < sum.length; j++) {
                        sum[j] *= totalWeight;
                    }
                    yield sum;
                }
                case StreamingAggregator s -> s.sum(steps);
            };
        }

        private String describe(String rule, String requirement, int needed, int rows) {
            return rule + " with f = " + f + " needs " + requirement + " (at least " + needed + " updates), gets " + rows;
        }
    }

    /**
     * An update the pipeline accepted, as it will be aggregated.
     *
     * @param update    the update, clipped when the norm policy clipped it
     * @param weight    its weight in the mean
     * @param norm      the L2 norm of the update as received
     * @param clippedTo the norm it was clipped to, or NaN when it was not clipped
     */
    public record Admitted(Update update, double weight, double norm, double clippedTo) {
    }

    private final Settings settings;
    private final UpdateWeighting weighting;

    public AggregationPipeline(Settings settings, UpdateWeighting weighting) {
        this.settings = settings;
        this.weighting = weighting;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether updates can be folded as they arrive (no step needs the whole round). */
    public boolean streaming() {
        return settings.streaming();
    }

    /**
     * Checks an update before anything of it is kept.
     *
     * @param declaredSamples the sample count the client declared when it enrolled or last heartbeated
     * @throws InvalidUpdateException {@code non-finite-update}, {@code implausible-sample-count} or
     *                                {@code update-norm-exceeded}
     */
    public Admitted admit(Update update, long declaredSamples) {
        Tensors values = update.values();
        // The norm is finite exactly when every value is (a float's square and a sum of 2^31 of them fit a double),
        // so one pass over the values serves both checks; the search for the bad index runs only when there is one.
        double norm = values.l2Norm();
        if (!Double.isFinite(norm)) {
            int bad = values.firstNonFinite();
            throw new InvalidUpdateException("non-finite-update", "tensor '" + values.tensorAt(bad)
                    + "' holds a NaN or infinity at flat index " + bad);
        }
        long bound = Math.min(declaredSamples, settings.maxSamplesPerUpdate());
        if (update.numSamples() > bound) {
            throw new InvalidUpdateException("implausible-sample-count", "the update claims " + update.numSamples()
                    + " samples; this client may claim at most " + bound + " (what it declared: " + declaredSamples
                    + ", the federation's robustness.maxSamplesPerUpdate: " + settings.maxSamplesPerUpdate() + ")");
        }
        double limit = settings.maxUpdateNorm();
        if (limit > 0 && norm > limit) {
            if (settings.onNormExceeded() == NormPolicy.REJECT) {
                throw new InvalidUpdateException("update-norm-exceeded", "the update's L2 norm " + norm
                        + " exceeds the federation's robustness.maxUpdateNorm " + limit);
            }
            return readmit(update, limit);
        }
        return new Admitted(update, weighting.weight(update.numSamples()), norm, Double.NaN);
    }

    /**
     * An update that passed {@link #admit} before (stored, now read back after a restart), admitted again without
     * the checks: clipped to {@code clippedTo} as it was then, unless that is NaN.
     */
    public Admitted readmit(Update update, double clippedTo) {
        double norm = update.values().l2Norm();
        if (Double.isNaN(clippedTo)) {
            return new Admitted(update, weighting.weight(update.numSamples()), norm, Double.NaN);
        }
        Tensors bounded = new ClipToNorm(clippedTo).apply(update.values(), State.EMPTY, 0).update();
        return new Admitted(new Update(update.clientId(), update.role(), bounded, update.numSamples(), update.metrics()),
                weighting.weight(update.numSamples()), norm, clippedTo);
    }

    /** An empty aggregation for one round; a whole-round pipeline keeps the round's updates on the heap. */
    public RoundAggregation start(ModelSpec spec, long roundSeed) {
        return start(spec, roundSeed, new HeapRowStore(spec.parameterCount()));
    }

    /**
     * An empty aggregation for one round whose whole-round rows are kept in {@code rows} (the caller's to close once
     * the round's result is taken).
     */
    public RoundAggregation start(ModelSpec spec, long roundSeed, RowStore rows) {
        return new RoundAggregation(settings, spec, roundSeed, rows);
    }
}
