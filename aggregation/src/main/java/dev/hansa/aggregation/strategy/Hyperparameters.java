package dev.hansa.aggregation.strategy;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validated reader of a hyperparameter map as it arrives from JSON (numbers may be Integer, Long, Double or
 * BigDecimal). Each getter names the field and its allowed range when a value is missing its mark; {@link #done()}
 * rejects names nobody asked for, so a typo such as {@code learningrate} fails instead of being ignored.
 */
public final class Hyperparameters {

    private final String owner;
    private final Map<String, ?> values;
    private final Set<String> read = new HashSet<>();

    /**
     * @param owner  what the map configures, used in messages (e.g. {@code fedavg})
     * @param values the raw map; not modified
     */
    public Hyperparameters(String owner, Map<String, ?> values) {
        this.owner = owner;
        this.values = Map.copyOf(values);
    }

    /** A real number in the given range (bounds inclusive unless flagged), or {@code fallback} when absent. */
    public double real(String name, double fallback, double min, boolean minInclusive, double max, boolean maxInclusive) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        double v = number(name, raw).doubleValue();
        boolean ok = Double.isFinite(v) && (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
        if (!ok) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in " + (minInclusive ? "[" : "(")
                    + format(min) + ", " + format(max) + (maxInclusive ? "]" : ")") + ", got " + raw);
        }
        return v;
    }

    /** An integer in {@code [min, max]} (a JSON 3.0 counts as 3), or {@code fallback} when absent. */
    public long integer(String name, long fallback, long min, long max) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        Number n = number(name, raw);
        long v;
        try {
            v = (n instanceof BigDecimal b ? b : new BigDecimal(n.toString())).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(owner + ": " + name + " must be an integer in [" + min + ", " + max
                    + "], got " + raw);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(owner + ": " + name + " must be an integer in [" + min + ", " + max
                    + "], got " + raw);
        }
        return v;
    }

    /** One of {@code allowed} (a JSON string), or {@code fallback} when absent. */
    public String choice(String name, String fallback, java.util.List<String> allowed) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        if (!(raw instanceof String s) || !allowed.contains(s)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be one of " + allowed + ", got " + raw);
        }
        return s;
    }

    /** Whether {@code name} is present (marks it as known). */
    public boolean has(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    /** Throws when the map holds a name no getter asked for; call after reading every field. */
    public void done() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(owner + ": unknown parameter(s) " + unknown + "; allowed: "
                    + new TreeSet<>(read));
        }
    }

    private Number number(String name, Object raw) {
        if (raw instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException(owner + ": " + name + " must be a number, got "
                + (raw == null ? "null" : raw.getClass().getSimpleName() + " " + raw));
    }

    private static String format(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
