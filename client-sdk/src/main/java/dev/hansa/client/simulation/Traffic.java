package dev.hansa.client.simulation;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import java.util.Map;

/**
 * The bytes a round's downloads would move over HTTP, computed from sizes instead of serialising: the safetensors
 * files the server serves (docs/protocol.md). Uploads are counted by the codec ({@code encodedSize}). JSON control
 * messages are not counted; they are a few hundred bytes per client and round.
 */
final class Traffic {

    /** Model versions are stored, and served, with this metadata. */
    private static final Map<String, String> MODEL_METADATA = Map.of("format", "pt");

    private Traffic() {
    }

    /** One model download: the model version's safetensors file. */
    static long download(ModelSpec spec) {
        return Safetensors.size(spec, MODEL_METADATA);
    }

    /** One broadcast download (e.g. FedAMD's): written without metadata. */
    static long broadcast(ModelSpec spec) {
        return Safetensors.size(spec, Map.of());
    }
}
