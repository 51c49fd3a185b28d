package dev.hansa.client.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The command line's one syntax for rule parameters, mapped onto the JSON a federation config carries.
 * <ul>
 * <li>A parameter list ({@code --aggregator-params}, {@code --attack-params}): {@code k=v} pairs separated by
 * commas, e.g. {@code m=5,tau=0.5}; a JSON object.</li>
 * <li>A chain ({@code --pre-aggregators}): entries separated by commas, each a name with its parameters after
 * colons, e.g. {@code clipping:c=2,nnm} or {@code bucketing:bucketSize=3}; a JSON array of objects whose
 * {@code name} is the entry's name.</li>
 * </ul>
 * A value is a JSON integer when it is digits (with an optional minus), a JSON number when it reads as a decimal
 * number, {@code true} or {@code false} a JSON boolean, and otherwise a JSON string. Errors name the flag.
 */
final class ParamList {

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final String CHAIN = "NAME[:k=v[:k=v...]][,NAME...]";
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private ParamList() {
    }

    /** A parameter list; the empty string is the empty object. */
    static Map<String, Object> parameters(String flag, String raw) {
        return pairs(flag, raw, ",", "k=v[,k=v...]", raw);
    }

    /** A chain of named entries; the empty string is the empty array. */
    static List<Map<String, Object>> chain(String flag, String raw) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (raw.isBlank()) {
            return out;
        }
        for (String entry : raw.split(",", -1)) {
            String[] parts = entry.trim().split(":", 2);
            if (parts[0].isEmpty() || parts[0].contains("=")) {
                throw new IllegalArgumentException(flag + " must be " + CHAIN + ": " + raw);
            }
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("name", parts[0]);
            if (parts.length == 2) {
                Map<String, Object> params = pairs(flag, parts[1], ":", CHAIN, raw);
                if (params.containsKey("name")) {
                    throw new IllegalArgumentException(flag + ": the entry " + parts[0] + " names a parameter 'name'");
                }
                object.putAll(params);
            }
            out.add(object);
        }
        return out;
    }

    /** The pairs of {@code raw}; errors quote {@code whole}, the flag's value. */
    private static Map<String, Object> pairs(String flag, String raw, String separator, String syntax, String whole) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (raw.isBlank()) {
            return out;
        }
        for (String pair : raw.split(Pattern.quote(separator), -1)) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isEmpty() || kv[1].isEmpty()) {
                throw new IllegalArgumentException(flag + " must be " + syntax + ": " + whole);
            }
            if (out.put(kv[0], value(kv[1])) != null) {
                throw new IllegalArgumentException(flag + " names " + kv[0] + " twice: " + whole);
            }
        }
        return out;
    }

    private static Object value(String raw) {
        if (INTEGER.matcher(raw).matches()) {
            return Long.parseLong(raw);
        }
        if (DECIMAL.matcher(raw).matches()) {
            return Double.parseDouble(raw);
        }
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> raw;
        };
    }
}
