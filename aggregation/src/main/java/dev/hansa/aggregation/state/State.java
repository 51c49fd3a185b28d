package dev.hansa.aggregation.state;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Named values that must survive between rounds: a strategy's server state (optimizer moments, running sums), a
 * client's strategy state (FedSpeed's correction h_i) or an update transform's state (error-feedback residuals).
 * Immutable; whoever holds it persists it with {@link StateCodec}.
 *
 * @param tensors per-parameter vectors by name, each in the model's spec
 * @param scalars scalars by name
 */
public record State(Map<String, Tensors> tensors, Map<String, Double> scalars) {

    public static final State EMPTY = new State(Map.of(), Map.of());

    public State {
        tensors = Map.copyOf(tensors);
        scalars = Map.copyOf(scalars);
    }

    public Optional<Tensors> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /**
     * The values of tensor {@code name}, which must exist and have {@code spec}: state written by
     * {@code initialState} of the same strategy always does.
     */
    public float[] require(String name, ModelSpec spec) {
        Tensors t = tensor(name).orElseThrow(() -> new IllegalArgumentException(
                "state lacks tensor '" + name + "'; was it created by the same strategy's initialState?"));
        if (!t.spec().equals(spec)) {
            throw new IllegalArgumentException("state tensor '" + name + "' has spec " + t.spec() + ", the model has " + spec);
        }
        return t.values();
    }

    public double scalar(String name, double fallback) {
        return scalars.getOrDefault(name, fallback);
    }

    /** This state with every key prefixed by {@code prefix}: a part of a larger state that several owners share. */
    public State withPrefix(String prefix) {
        Map<String, Tensors> t = new HashMap<>();
        Map<String, Double> s = new HashMap<>();
        tensors.forEach((k, v) -> t.put(prefix + k, v));
        scalars.forEach((k, v) -> s.put(prefix + k, v));
        return new State(t, s);
    }

    /** The entries whose keys start with {@code prefix}, without it: the inverse of {@link #withPrefix}. */
    public State part(String prefix) {
        Map<String, Tensors> t = new HashMap<>();
        Map<String, Double> s = new HashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                t.put(k.substring(prefix.length()), v);
            }
        });
        scalars.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                s.put(k.substring(prefix.length()), v);
            }
        });
        return new State(t, s);
    }

    /** Every entry of this state and of {@code other} ({@code other}'s win on equal keys). */
    public State plus(State other) {
        Map<String, Tensors> t = new HashMap<>(tensors);
        Map<String, Double> s = new HashMap<>(scalars);
        t.putAll(other.tensors);
        s.putAll(other.scalars);
        return new State(t, s);
    }
}
