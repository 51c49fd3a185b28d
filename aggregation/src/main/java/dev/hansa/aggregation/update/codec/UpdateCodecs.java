package dev.hansa.aggregation.update.codec;

import dev.hansa.aggregation.config.Hyperparameters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The codecs by name, as a federation's {@code update.codec} and a participant's plan name them, each built from
 * the section's size parameter {@code update.k} where it takes one ({@code topk}, {@code randk},
 * {@code countsketch}) and from its own knobs in the {@code update.params} object ({@code qsgd}'s levels,
 * {@code e3m0}'s bucket, ...), which the codec validates and fills with its defaults: errors name the field
 * ({@code update.params.levels}).
 */
public final class UpdateCodecs {

    /** Builds a codec from {@code update.k} (0 when absent) and its {@code update.params}, read through params. */
    @FunctionalInterface
    interface Factory {
        UpdateCodec create(double k, Hyperparameters params);
    }

    /** A codec's factory, and whether it takes {@code update.k}. */
    private record Entry(boolean sized, Factory factory) {
    }

    /** A codec and the parameters it runs with, defaults filled in: what a round records. */
    public record Configured(UpdateCodec codec, Map<String, Double> params) {
        public Configured {
            params = Map.copyOf(params);
        }
    }

    private static final Map<String, Entry> BY_NAME = new TreeMap<>(Map.ofEntries(
            Map.entry(DenseCodec.NAME, new Entry(false, (k, p) -> new DenseCodec())),
            Map.entry(Bf16Codec.NAME, new Entry(false, (k, p) -> new Bf16Codec())),
            Map.entry(TopKCodec.NAME, new Entry(true, (k, p) -> new TopKCodec(k))),
            Map.entry(RandKCodec.NAME, new Entry(true, (k, p) -> new RandKCodec(k))),
            Map.entry(Fp16Codec.NAME, new Entry(false, (k, p) -> new Fp16Codec())),
            Map.entry(SignCodec.NAME, new Entry(false, (k, p) -> new SignCodec())),
            Map.entry(QsgdCodec.NAME, new Entry(false, (k, p) -> QsgdCodec.of(p))),
            Map.entry(E3m0Codec.NAME, new Entry(false, (k, p) -> E3m0Codec.of(p))),
            Map.entry(SparseLoCoCodec.NAME, new Entry(false, (k, p) -> SparseLoCoCodec.of(p))),
            Map.entry(CountSketchCodec.NAME, new Entry(true, CountSketchCodec::of)),
            Map.entry(FetchSgdCodec.NAME, new Entry(false, (k, p) -> FetchSgdCodec.of(p)))));

    private UpdateCodecs() {
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** Whether the codec {@code name} takes {@code update.k}. */
    public static boolean sized(String name) {
        return entry(name).sized();
    }

    /** The codec {@code name} with size {@code k} and its default parameters. */
    public static UpdateCodec create(String name, double k) {
        return configure(name, k, Map.of()).codec();
    }

    /**
     * The codec {@code name} with size {@code k} ({@code update.k}; 0 for a codec that takes none) and parameters
     * {@code params} ({@code update.params}). Errors name the field: {@code update.codec} when there is no such codec,
     * {@code update.k} when k is missing, invalid, or given to a codec without one, {@code update.params.NAME} for a
     * parameter that is unknown, missing or out of range.
     */
    public static Configured configure(String name, double k, Map<String, ?> params) {
        return configure(name, k, new Hyperparameters("update.params", name, params));
    }

    /** {@link #configure(String, double, Map)} on a section the caller has already opened. */
    public static Configured configure(String name, double k, Hyperparameters params) {
        Entry entry = entry(name);
        if (!entry.sized() && k != 0) {
            throw new IllegalArgumentException("update.k applies only to " + sizedNames() + ", not to " + name);
        }
        if (entry.sized() && k == 0) {
            throw new IllegalArgumentException("update.k is required for " + name
                    + ": a fraction in (0, 1) or a whole count >= 1");
        }
        UpdateCodec codec = entry.factory().create(k, params);
        params.done();
        Map<String, Double> effective = new TreeMap<>();
        params.effective().forEach((key, value) -> effective.put(key, ((Number) value).doubleValue()));
        return new Configured(codec, effective);
    }

    private static Entry entry(String name) {
        Entry entry = name == null ? null : BY_NAME.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("update.codec must be one of " + names() + ", got " + name);
        }
        return entry;
    }

    private static List<String> sizedNames() {
        return BY_NAME.entrySet().stream().filter(e -> e.getValue().sized()).map(Map.Entry::getKey).toList();
    }
}
