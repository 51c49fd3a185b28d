package dev.hansa.aggregation.tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered list of a model's tensors. The order defines the flat parameter vector: tensor i occupies
 * {@code [offset(i), offset(i) + elementCount)}. Every party must use the same order (seeded methods depend on it).
 */
public final class ModelSpec {

    private final List<TensorSpec> tensors;
    private final Map<String, Integer> indexByName;
    private final int[] offsets;
    private final int parameterCount;

    public ModelSpec(List<TensorSpec> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one tensor");
        }
        this.tensors = List.copyOf(tensors);
        this.indexByName = new LinkedHashMap<>();
        this.offsets = new int[tensors.size()];
        long total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            if (indexByName.put(t.name(), i) != null) {
                throw new IllegalArgumentException("duplicate tensor name: " + t.name());
            }
            offsets[i] = (int) total;
            total += t.elementCount();
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("model has more than 2^31 - 9 parameters");
            }
        }
        this.parameterCount = (int) total;
    }

    public static ModelSpec of(TensorSpec... tensors) {
        return new ModelSpec(List.of(tensors));
    }

    public List<TensorSpec> tensors() {
        return tensors;
    }

    public int parameterCount() {
        return parameterCount;
    }

    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        if (index == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        return index;
    }

    public boolean contains(String name) {
        return indexByName.containsKey(name);
    }

    public TensorSpec tensor(String name) {
        return tensors.get(indexOf(name));
    }

    /** Offset of tensor {@code name} in the flat parameter vector. */
    public int offset(String name) {
        return offsets[indexOf(name)];
    }

    public int offset(int index) {
        return offsets[index];
    }

    /**
     * The spec of the named tensors alone, in this spec's order: what a fragment-wise update carries.
     *
     * @throws IllegalArgumentException for a name this spec lacks, or none at all
     */
    public ModelSpec select(Collection<String> names) {
        for (String name : names) {
            indexOf(name);
        }
        List<TensorSpec> selected = new ArrayList<>();
        tensors.stream().filter(t -> names.contains(t.name())).forEach(selected::add);
        return new ModelSpec(selected);
    }

    /** Tensor names in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(tensors.size());
        tensors.forEach(t -> names.add(t.name()));
        return Collections.unmodifiableList(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec m && tensors.equals(m.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return tensors.toString();
    }
}
