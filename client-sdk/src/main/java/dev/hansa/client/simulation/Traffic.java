package dev.hansa.client.simulation;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.model.Safetensors;
import dev.hansa.aggregation.strategy.LocalResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes a round would move over HTTP, computed from sizes instead of serialising every payload: the
 * safetensors bodies that {@code HansaClient} and the server exchange (docs/protocol.md). JSON control messages
 * (assignments, heartbeats) are not counted; they are a few hundred bytes per client and round.
 */
final class Traffic {

    /** Model versions are stored, and served, with this metadata. */
    private static final Map<String, String> MODEL_METADATA = Map.of("format", "pt");

    private Traffic() {
    }

    /** One model download: the model version's safetensors file. */
    static long model(ModelSpec spec) {
        return Safetensors.size(spec, MODEL_METADATA);
    }

    /** One broadcast download (e.g. FedAMD's bullseye): written without metadata. */
    static long broadcast(ModelSpec spec) {
        return Safetensors.size(spec, Map.of());
    }

    /** One upload: the result's tensors with {@code num_samples} and the metrics as metadata, as HansaClient sends them. */
    static long upload(LocalResult result) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("num_samples", Long.toString(result.numSamples()));
        result.metrics().forEach((k, v) -> metadata.put(k, Double.toString(v)));
        return Safetensors.size(result.upload().spec(), metadata);
    }
}
