package dev.hansa.aggregation.state;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@link State} to and from bytes, in the safetensors layout so the server can store it per model version
 * and the SDK per client. Tensor {@code t} of state entry {@code key} is stored as {@code key/t}; scalars are
 * {@code __metadata__} entries {@code scalar.<name>} holding {@link Double#toString} (exact round trip), plus
 * {@code hansa.state=1}. A state without tensors holds one empty placeholder tensor, because a safetensors file
 * needs at least one. Keys are written in sorted order, so equal states encode to equal bytes.
 */
public final class StateCodec {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");
    private static final String FORMAT = "hansa.state";
    private static final String SCALAR = "scalar.";
    private static final String PLACEHOLDER = "__state__";

    private StateCodec() {
    }

    /** The state as safetensors bytes; throws {@link IllegalArgumentException} for a key outside the pattern. */
    public static byte[] encode(State state) {
        List<TensorSpec> specs = new ArrayList<>();
        List<float[]> parts = new ArrayList<>();
        for (var e : new TreeMap<>(state.tensors()).entrySet()) {
            checkKey(e.getKey(), "tensor");
            Tensors w = e.getValue();
            for (TensorSpec t : w.spec().tensors()) {
                specs.add(new TensorSpec(e.getKey() + "/" + t.name(), t.shape()));
                parts.add(w.tensor(t.name()));
            }
        }
        if (specs.isEmpty()) {
            specs.add(new TensorSpec(PLACEHOLDER, new int[] {0}));
            parts.add(new float[0]);
        }
        ModelSpec spec = new ModelSpec(specs);
        float[] values = new float[spec.parameterCount()];
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i), 0, values, spec.offset(i), parts.get(i).length);
        }
        Map<String, String> metadata = new TreeMap<>();
        metadata.put(FORMAT, "1");
        state.scalars().forEach((k, v) -> {
            checkKey(k, "scalar");
            metadata.put(SCALAR + k, Double.toString(v));
        });
        return Safetensors.write(new Tensors(spec, values), metadata);
    }

    /**
     * Decodes bytes written by {@link #encode}.
     *
     * @throws InvalidTensorsException when the bytes are not a Hansa strategy state
     */
    public static State decode(byte[] bytes) {
        Safetensors.Contents contents = Safetensors.read(bytes);
        if (!"1".equals(contents.metadata().get(FORMAT))) {
            throw new InvalidTensorsException("malformed-state", "not a Hansa strategy state (metadata " + FORMAT
                    + " missing or not 1)");
        }
        Map<String, Double> scalars = new HashMap<>();
        contents.metadata().forEach((k, v) -> {
            if (k.startsWith(SCALAR)) {
                try {
                    scalars.put(k.substring(SCALAR.length()), Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    throw new InvalidTensorsException("malformed-state", "scalar " + k + " is not a number: " + v);
                }
            }
        });
        Tensors all = contents.tensors();
        Map<String, List<TensorSpec>> specsByKey = new LinkedHashMap<>();
        for (TensorSpec t : all.spec().tensors()) {
            if (t.name().equals(PLACEHOLDER)) {
                continue;
            }
            int slash = t.name().indexOf('/');
            if (slash < 1) {
                throw new InvalidTensorsException("malformed-state", "state tensor '" + t.name() + "' has no key/ prefix");
            }
            specsByKey.computeIfAbsent(t.name().substring(0, slash), k -> new ArrayList<>())
                    .add(new TensorSpec(t.name().substring(slash + 1), t.shape()));
        }
        Map<String, Tensors> tensors = new HashMap<>();
        specsByKey.forEach((key, specs) -> {
            ModelSpec spec = new ModelSpec(specs);
            float[] values = new float[spec.parameterCount()];
            for (int i = 0; i < specs.size(); i++) {
                float[] part = all.tensor(key + "/" + specs.get(i).name());
                System.arraycopy(part, 0, values, spec.offset(i), part.length);
            }
            tensors.put(key, new Tensors(spec, values));
        });
        return new State(tensors, scalars);
    }

    private static void checkKey(String key, String kind) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("state " + kind + " key must match " + KEY.pattern() + ": " + key);
        }
    }
}
