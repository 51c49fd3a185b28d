package dev.hansa.aggregation.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Validated reader of a hyperparameter map as it arrives from JSON (numbers may be Integer, Long, Double or
 * BigDecimal). Each getter names the field by its path in the federation config (e.g. {@code strategy.params.beta1})
 * and its allowed range when a value is missing its mark; {@link #done()} rejects names nobody asked for, so a typo
 * such as {@code learningrate} fails instead of being ignored.
 */
public final class Hyperparameters {

    private final String path;
    private final String subject;
    private final Map<String, ?> values;
    private final Set<String> read = new HashSet<>();
    private final Map<String, Object> effective = new TreeMap<>();

    /**
     * @param path    where the map sits in a federation config, prefixed to field names in messages
     *                (e.g. {@code strategy.params}); empty for a map that is a whole request body
     * @param subject what the map configures, named when a field is unknown (e.g. {@code fedavg})
     * @param values  the raw map; not modified
     * @throws IllegalArgumentException naming the field when a value is JSON null (absent and null must not mean two
     *                                  things: leave a field out to take its default)
     */
    public Hyperparameters(String path, String subject, Map<String, ?> values) {
        this.path = path;
        this.subject = subject;
        for (var e : values.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw invalid(String.valueOf(e.getKey()), " is null; leave it out to use the default");
            }
        }
        this.values = Map.copyOf(values);
    }

    /** The path of field {@code name}, as messages name it (the name alone for a map at the root of a body). */
    public String field(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A real number in the given range (bounds inclusive unless flagged), or {@code fallback} when absent. */
    public double real(String name, double fallback, double min, boolean minInclusive, double max, boolean maxInclusive) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            effective.put(name, fallback);
            return fallback;
        }
        double v = number(name, raw).doubleValue();
        boolean ok = Double.isFinite(v) && (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max);
        if (!ok) {
            throw invalid(name, " must be in " + (minInclusive ? "[" : "(")
                    + format(min) + ", " + format(max) + (maxInclusive ? "]" : ")") + ", got " + raw);
        }
        effective.put(name, v);
        return v;
    }

    /** An integer in {@code [min, max]} (a JSON 3.0 counts as 3), or {@code fallback} when absent. */
    public long integer(String name, long fallback, long min, long max) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            effective.put(name, fallback);
            return fallback;
        }
        Number n = number(name, raw);
        long v;
        try {
            v = (n instanceof BigDecimal b ? b : new BigDecimal(n.toString())).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(name, " must be an integer in [" + min + ", " + max
                    + "], got " + raw);
        }
        if (v < min || v > max) {
            throw invalid(name, " must be an integer in [" + min + ", " + max
                    + "], got " + raw);
        }
        effective.put(name, v);
        return v;
    }

    /** One of {@code allowed} (a JSON string), or {@code fallback} when absent. */
    public String choice(String name, String fallback, List<String> allowed) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            effective.put(name, fallback);
            return fallback;
        }
        if (!(raw instanceof String s) || !allowed.contains(s)) {
            throw invalid(name, " must be one of " + allowed + ", got " + raw);
        }
        effective.put(name, s);
        return s;
    }

    /** A JSON boolean, or {@code fallback} when absent. */
    public boolean bool(String name, boolean fallback) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            effective.put(name, fallback);
            return fallback;
        }
        if (!(raw instanceof Boolean b)) {
            throw invalid(name, " must be true or false, got " + raw);
        }
        effective.put(name, b);
        return b;
    }

    /**
     * A JSON array of objects (at most {@code maxSize}), each read by its own {@code Hyperparameters} whose path is
     * {@code path.name[i]}; empty when absent.
     */
    public List<Hyperparameters> objects(String name, String subjectOfEach, int maxSize) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            effective.put(name, List.of());
            return List.of();
        }
        if (!(raw instanceof List<?> list) || list.size() > maxSize) {
            throw invalid(name, " must be an array of at most " + maxSize + " objects, got " + raw);
        }
        List<Hyperparameters> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> map) || !map.keySet().stream().allMatch(k -> k instanceof String)) {
                throw invalid(name, "[" + i + "] must be an object, got " + list.get(i));
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> entry = (Map<String, ?>) map;
            out.add(new Hyperparameters(field(name) + "[" + i + "]", subjectOfEach, entry));
        }
        effective.put(name, list);
        return out;
    }

    /**
     * A JSON object read by its own {@code Hyperparameters} whose path is {@code path.name} (empty when absent); its
     * effective values are recorded here under {@code name} by {@link #effective()} once read.
     */
    public Hyperparameters section(String name, String subjectOfSection) {
        read.add(name);
        Object raw = values.get(name);
        if (raw == null) {
            return new Hyperparameters(field(name), subjectOfSection, Map.of());
        }
        if (!(raw instanceof Map<?, ?> map) || !map.keySet().stream().allMatch(k -> k instanceof String)) {
            throw invalid(name, " must be an object, got " + raw);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> entries = (Map<String, ?>) map;
        return new Hyperparameters(field(name), subjectOfSection, entries);
    }

    /** Whether {@code name} is present (marks it as known). */
    public boolean has(String name) {
        read.add(name);
        return values.containsKey(name);
    }

    /**
     * Throws an {@link UnknownFieldException} when the map holds a name no getter asked for; call after reading every
     * field.
     */
    public void done() {
        refuseOutside(read);
    }

    /**
     * Throws an {@link UnknownFieldException} when the map holds a name outside {@code allowed}: for a caller that
     * checks which fields are present before it reads them, so that a misspelt field is named as unknown rather
     * than its correct spelling as missing.
     */
    public void refuseOutside(Set<String> allowed) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new UnknownFieldException(field(unknown.iterator().next()), (path.isEmpty() ? "body" : path)
                    + ": unknown field(s) " + unknown + " for " + subject + "; allowed: " + new TreeSet<>(allowed));
        }
    }

    /**
     * Every value the getters returned, given or defaulted, by name in sorted order: what the configured object
     * actually runs with, worth recording beside its results.
     */
    public Map<String, Object> effective() {
        return Collections.unmodifiableMap(new TreeMap<>(effective));
    }

    private Number number(String name, Object raw) {
        if (raw instanceof Number n) {
            return n;
        }
        throw invalid(name, " must be a number, got "
                + (raw == null ? "null" : raw.getClass().getSimpleName() + " " + raw));
    }

    /** A refusal of field {@code name}'s value: {@code why} follows its path in the message. */
    private InvalidValueException invalid(String name, String why) {
        return new InvalidValueException(field(name), field(name) + why);
    }

    private static String format(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
