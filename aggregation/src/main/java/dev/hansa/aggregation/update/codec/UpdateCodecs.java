package dev.hansa.aggregation.update.codec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The codecs by name, as a federation's {@code update.codec} and a participant's plan name them. */
public final class UpdateCodecs {

    private static final Map<String, UpdateCodec> BY_NAME = new TreeMap<>(Map.of(
            DenseCodec.NAME, new DenseCodec(),
            Bf16Codec.NAME, new Bf16Codec()));

    private UpdateCodecs() {
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The codec {@code name}; throws naming the field {@code update.codec} when there is none. */
    public static UpdateCodec byName(String name) {
        UpdateCodec codec = name == null ? null : BY_NAME.get(name);
        if (codec == null) {
            throw new IllegalArgumentException("update.codec must be one of " + names() + ", got " + name);
        }
        return codec;
    }
}
