package dev.hansa.aggregation.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * The values of every tensor of a {@link ModelSpec}, as one flat float vector in spec order: a model version's
 * parameters, an update, a broadcast, a per-parameter state vector. The array is owned: {@link #values()} exposes it
 * for fast kernels; callers must not mutate tensors they do not own.
 */
public final class Tensors {

    private final ModelSpec spec;
    private final float[] values;

    public Tensors(ModelSpec spec, float[] values) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.values = Objects.requireNonNull(values, "values");
        if (values.length != spec.parameterCount()) {
            throw new IllegalArgumentException("values has " + values.length + " floats, spec needs " + spec.parameterCount());
        }
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

    /** The flat vector (not a copy). */
    public float[] values() {
        return values;
    }

    /** A copy of tensor {@code name}'s values. */
    public float[] tensor(String name) {
        int offset = spec.offset(name);
        return Arrays.copyOfRange(values, offset, offset + spec.tensor(name).elementCount());
    }

    public Tensors copy() {
        return new Tensors(spec, values.clone());
    }

    /** Index of the first NaN or infinite value, or -1 when all are finite. */
    public int firstNonFinite() {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Name of the tensor that holds flat index {@code index}. */
    public String tensorAt(int index) {
        Objects.checkIndex(index, values.length);
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
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }
}
