package dev.hansa.server.round;

import dev.hansa.server.system.HansaProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** Reads an upload's safetensors {@code __metadata__}: the sample count and numeric training metrics. */
record UpdateMetadata(long numSamples, Map<String, Double> metrics) {

    static UpdateMetadata parse(Map<String, String> metadata) {
        String samples = metadata.get("num_samples");
        long n;
        try {
            n = samples == null ? -1 : Long.parseLong(samples.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1) {
            throw new HansaProblem(HttpStatus.BAD_REQUEST, "missing-metadata",
                    "__metadata__.num_samples must be a positive integer string, got " + samples);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (!key.equals("num_samples")) {
                try {
                    double v = Double.parseDouble(value);
                    if (Double.isFinite(v)) {
                        metrics.put(key, v);
                    }
                } catch (NumberFormatException ignored) {
                    // Non-numeric metadata (e.g. "format") is not a metric.
                }
            }
        });
        return new UpdateMetadata(n, metrics);
    }
}
