package dev.hansa.aggregation.strategy.diloco;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming DiLoCo's fragments of a model (Douillard et al., arXiv 2501.18512): the model's layers, a layer being
 * the tensors whose names share the part before the last dot ({@code fc1.weight} and {@code fc1.bias}), dealt out
 * strided, the paper's default pattern: fragment f holds layers f, f + P, f + 2P, ... . P is the configured count,
 * capped at the number of layers so that no fragment is empty. Round t (1-based) synchronises fragment
 * {@code (t - 1) mod P}, so each fragment is synchronised every P rounds, and a round uploads one fragment.
 */
final class Fragments {

    private final List<List<String>> tensors;

    /** The fragments of {@code spec} for a configured count {@code count >= 1}. */
    Fragments(ModelSpec spec, int count) {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        for (TensorSpec t : spec.tensors()) {
            int dot = t.name().lastIndexOf('.');
            layers.computeIfAbsent(dot < 0 ? t.name() : t.name().substring(0, dot), k -> new ArrayList<>())
                    .add(t.name());
        }
        List<List<String>> byLayer = List.copyOf(layers.values());
        int fragments = Math.min(count, byLayer.size());
        List<List<String>> dealt = new ArrayList<>();
        for (int f = 0; f < fragments; f++) {
            List<String> names = new ArrayList<>();
            for (int layer = f; layer < byLayer.size(); layer += fragments) {
                names.addAll(byLayer.get(layer));
            }
            dealt.add(List.copyOf(names));
        }
        this.tensors = List.copyOf(dealt);
    }

    /** P, the number of fragments. */
    int count() {
        return tensors.size();
    }

    /** The fragment round {@code round} (1-based) synchronises. */
    int ofRound(long round) {
        return (int) ((round - 1) % tensors.size());
    }

    /** The tensor names of fragment {@code f}. */
    List<String> tensors(int f) {
        return tensors.get(f);
    }
}
