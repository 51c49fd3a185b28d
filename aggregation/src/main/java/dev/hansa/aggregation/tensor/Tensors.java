package dev.hansa.aggregation.tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The values of every tensor of a {@link ModelSpec}, as one flat float vector in spec order: a model version's
 * parameters, an update, a broadcast, a per-parameter state vector. The array is owned: {@link #values()} exposes it
 * for fast kernels; callers must not mutate tensors they do not own.
 *
 * <p>A decoded sparse update is held as its {@link SparseEntries} ({@link #sparse}) and expanded to the dense array
 * only when something asks for it ({@link #values()}: the robust rules' rows, clipping); until then the norm, the
 * finiteness check and the server's fold ({@link #sparseEntries()}) read the k stored entries alone. Once expanded, the
 * dense array is the one truth (an owner may mutate it), and {@link #sparseEntries()} is empty.
 */
public final class Tensors {

    private final ModelSpec spec;
    private final SparseEntries entries;
    private volatile float[] values;

    public Tensors(ModelSpec spec, float[] values) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.values = Objects.requireNonNull(values, "values");
        this.entries = null;
        if (values.length != spec.parameterCount()) {
            throw new IllegalArgumentException("values has " + values.length + " floats, spec needs " + spec.parameterCount());
        }
    }

    private Tensors(ModelSpec spec, SparseEntries entries) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.entries = entries;
        entries.check(spec.parameterCount());
    }

    /** Tensors of {@code spec} that are zero except at {@code entries}, held sparse until {@link #values()}. */
    public static Tensors sparse(ModelSpec spec, SparseEntries entries) {
        return new Tensors(spec, entries);
    }

    public static Tensors zeros(ModelSpec spec) {
        return new Tensors(spec, new float[spec.parameterCount()]);
    }

    /** Tensors of {@code spec} with every value {@code value}. */
    public static Tensors filled(ModelSpec spec, float value) {
        float[] v = new float[spec.parameterCount()];
        Arrays.fill(v, value);
        return new Tensors(spec, v);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The flat vector (not a copy); a sparse one is expanded now, once. */
    public float[] values() {
        float[] v = values;
        return v != null ? v : expand();
    }

    private synchronized float[] expand() {
        if (values == null) {
            values = entries.expand(spec.parameterCount());
        }
        return values;
    }

    /** The stored entries while these tensors are still held sparse, else empty. */
    public Optional<SparseEntries> sparseEntries() {
        return values == null ? Optional.of(entries) : Optional.empty();
    }

    /** A copy of tensor {@code name}'s values. */
    public float[] tensor(String name) {
        int offset = spec.offset(name);
        return Arrays.copyOfRange(values(), offset, offset + spec.tensor(name).elementCount());
    }

    public Tensors copy() {
        return new Tensors(spec, values().clone());
    }

    /** Index of the first NaN or infinite value, or -1 when all are finite. */
    public int firstNonFinite() {
        SparseEntries sparse = sparseEntries().orElse(null);
        if (sparse != null) {
            for (int j = 0; j < sparse.count(); j++) {
                if (!Float.isFinite(sparse.values()[j])) {
                    return sparse.indices()[j];
                }
            }
            return -1;
        }
        float[] dense = values();
        for (int i = 0; i < dense.length; i++) {
            if (!Float.isFinite(dense[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Name of the tensor that holds flat index {@code index}. */
    public String tensorAt(int index) {
        Objects.checkIndex(index, spec.parameterCount());
        var tensors = spec.tensors();
        for (int i = tensors.size() - 1; i >= 0; i--) {
            if (spec.offset(i) <= index) {
                return tensors.get(i).name();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Euclidean norm, accumulated in double. */
    public double l2Norm() {
        SparseEntries sparse = sparseEntries().orElse(null);
        if (sparse != null) {
            return Math.sqrt(sparse.sumOfSquares());
        }
        double sum = 0;
        for (float v : values()) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }
}
