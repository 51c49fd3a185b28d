package dev.hansa.aggregation.update.lgreco;

import java.util.Map;
import java.util.TreeMap;

/** A plan's knob values for codecs whose knob is a whole count (qsgd's levels, sparseloco's kPerChunk). */
final class WholeCounts {

    private WholeCounts() {
    }

    /**
     * The plan's values as integers.
     *
     * @throws IllegalArgumentException naming {@code update.tensorKnob.<tensor>} for a value that is not a whole
     *                                  number in int's range
     */
    static Map<String, Integer> of(Map<String, Double> plan, String knob) {
        Map<String, Integer> counts = new TreeMap<>();
        plan.forEach((name, value) -> {
            if (!(value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("update.tensorKnob." + name + " must be " + knob
                        + ", a whole number, got " + value);
            }
            counts.put(name, value.intValue());
        });
        return counts;
    }
}
