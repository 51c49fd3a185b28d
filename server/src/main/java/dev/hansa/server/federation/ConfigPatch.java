package dev.hansa.server.federation;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON Merge Patch (RFC 7396) of a federation config: an object member replaces the member of that name, an object
 * merges into the object of that name, {@code null} removes the member (so the parser's default applies). The result
 * is validated as a whole, exactly like a config sent to create a federation.
 */
final class ConfigPatch {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ConfigPatch() {
    }

    /**
     * The config {@code current} with the merge patch {@code patch} (JSON bytes) applied, parsed and validated.
     *
     * @throws IllegalArgumentException naming the field the patched config gets wrong
     */
    static FederationConfig apply(FederationConfig current, byte[] patch) {
        if (patch.length > FederationConfig.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("body: a config patch is at most " + FederationConfig.MAX_BODY_BYTES
                    + " bytes, this one has " + patch.length);
        }
        Map<String, Object> merged = merge(current.toMap(), FederationConfig.readObject(patch));
        return FederationConfig.parse(JSON.writeValueAsBytes(merged));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> out = new LinkedHashMap<>(target);
        patch.forEach((key, value) -> {
            if (value == null) {
                out.remove(key);
            } else if (value instanceof Map<?, ?> object) {
                Map<String, Object> base = out.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                out.put(key, merge(base, (Map<String, Object>) object));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }
}
