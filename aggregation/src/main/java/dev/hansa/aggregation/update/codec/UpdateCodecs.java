package dev.hansa.aggregation.update.codec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;

/**
 * The codecs by name, as a federation's {@code update.codec} and a participant's plan name them, each built from
 * the section's size parameter {@code update.k} where it takes one ({@code topk}, {@code randk}).
 */
public final class UpdateCodecs {

    /** A codec's constructor from {@code update.k}, or null for one that takes no size. */
    private record Entry(UpdateCodec fixed, DoubleFunction<UpdateCodec> sized) {
    }

    private static final Map<String, Entry> BY_NAME = new TreeMap<>(Map.of(
            DenseCodec.NAME, new Entry(new DenseCodec(), null),
            Bf16Codec.NAME, new Entry(new Bf16Codec(), null),
            TopKCodec.NAME, new Entry(null, TopKCodec::new),
            RandKCodec.NAME, new Entry(null, RandKCodec::new)));

    private UpdateCodecs() {
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** Whether the codec {@code name} takes {@code update.k}. */
    public static boolean sized(String name) {
        return entry(name).sized() != null;
    }

    /**
     * The codec {@code name} with size {@code k} ({@code update.k}; 0 for a codec that takes none). Errors name the
     * field: {@code update.codec} when there is no such codec, {@code update.k} when k is missing, invalid, or given
     * to a codec without one.
     */
    public static UpdateCodec create(String name, double k) {
        Entry entry = entry(name);
        if (entry.sized() == null) {
            if (k != 0) {
                throw new IllegalArgumentException("update.k applies only to " + sizedNames() + ", not to " + name);
            }
            return entry.fixed();
        }
        if (k == 0) {
            throw new IllegalArgumentException("update.k is required for " + name
                    + ": a fraction in (0, 1) or a whole count >= 1");
        }
        return entry.sized().apply(k);
    }

    private static Entry entry(String name) {
        Entry entry = name == null ? null : BY_NAME.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("update.codec must be one of " + names() + ", got " + name);
        }
        return entry;
    }

    private static List<String> sizedNames() {
        return BY_NAME.entrySet().stream().filter(e -> e.getValue().sized() != null).map(Map.Entry::getKey).toList();
    }
}
