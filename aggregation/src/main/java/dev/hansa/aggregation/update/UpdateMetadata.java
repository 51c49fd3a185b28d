package dev.hansa.aggregation.update;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The string map every encoded update carries besides its tensors: {@value #NUM_SAMPLES} (required, the FedAvg
 * weight), the client's training metrics ({@code train_loss}, ...) and its evaluation of the round's global model on
 * local held-out data, under keys prefixed {@value #EVAL_PREFIX}. Values are decimal numbers as text. Parsing is
 * strict: the map comes from an untrusted client and its keys and values end up in the round ledger.
 */
public record UpdateMetadata(long numSamples, Map<String, Double> trainMetrics, Map<String, Double> evalMetrics) {

    public static final String NUM_SAMPLES = "num_samples";
    public static final String EVAL_PREFIX = "eval.";
    /** At most this many entries, keys of at most 64 and values of at most 64 characters. */
    public static final int MAX_ENTRIES = 64;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");
    private static final int MAX_VALUE_LENGTH = 64;
    /** A JSON-style decimal number (what {@link Double#toString} and Python's {@code str(float)} print). */
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    public UpdateMetadata {
        if (numSamples < 1) {
            throw new IllegalArgumentException("numSamples must be >= 1: " + numSamples);
        }
        trainMetrics = Map.copyOf(trainMetrics);
        evalMetrics = Map.copyOf(evalMetrics);
    }

    /** The metadata as sent: sample count, training metrics, evaluation metrics (keys sorted within each). */
    public Map<String, String> toMap() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(NUM_SAMPLES, Long.toString(numSamples));
        new TreeMap<>(trainMetrics).forEach((k, v) -> out.put(k, Double.toString(v)));
        new TreeMap<>(evalMetrics).forEach((k, v) -> out.put(EVAL_PREFIX + k, Double.toString(v)));
        return out;
    }

    /**
     * Reads an update's metadata.
     *
     * @throws InvalidUpdateException {@code missing-metadata} when {@value #NUM_SAMPLES} is absent or not a
     *                                positive integer, {@code invalid-metadata} for any other entry that is not a
     *                                well-formed key with a finite number
     */
    public static UpdateMetadata parse(Map<String, String> metadata) {
        if (metadata.size() > MAX_ENTRIES) {
            throw invalid("the metadata holds " + metadata.size() + " entries, at most " + MAX_ENTRIES + " are allowed");
        }
        long samples = numSamples(metadata.get(NUM_SAMPLES));
        Map<String, Double> train = new TreeMap<>();
        Map<String, Double> eval = new TreeMap<>();
        metadata.forEach((key, value) -> {
            if (key.equals(NUM_SAMPLES)) {
                return;
            }
            if (!KEY.matcher(key).matches()) {
                throw invalid("metadata key '" + printable(key) + "' must match " + KEY.pattern());
            }
            double v = number(key, value);
            if (key.startsWith(EVAL_PREFIX)) {
                eval.put(key.substring(EVAL_PREFIX.length()), v);
            } else {
                train.put(key, v);
            }
        });
        return new UpdateMetadata(samples, train, eval);
    }

    private static long numSamples(String raw) {
        long n = -1;
        if (raw != null && raw.length() <= 19 && raw.chars().allMatch(c -> c >= '0' && c <= '9') && !raw.isEmpty()) {
            try {
                n = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        if (n < 1) {
            throw new InvalidUpdateException("missing-metadata", "__metadata__." + NUM_SAMPLES
                    + " must be a positive integer (decimal digits only), got " + (raw == null ? "nothing" : "'" + printable(raw) + "'"));
        }
        return n;
    }

    private static double number(String key, String value) {
        if (value.length() > MAX_VALUE_LENGTH) {
            throw invalid("metadata value of '" + key + "' is longer than " + MAX_VALUE_LENGTH + " characters");
        }
        if (DECIMAL.matcher(value).matches()) {
            double v = Double.parseDouble(value);
            if (Double.isFinite(v)) {
                return v;
            }
        }
        throw invalid("metadata value of '" + key + "' must be a finite decimal number, got '" + printable(value) + "'");
    }

    private static InvalidUpdateException invalid(String message) {
        return new InvalidUpdateException("invalid-metadata", message);
    }

    /** The text with control characters escaped, cut to 64 characters, safe to echo in an error. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
