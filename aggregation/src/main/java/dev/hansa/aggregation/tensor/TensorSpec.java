package dev.hansa.aggregation.tensor;

import java.util.Arrays;
import java.util.regex.Pattern;

/** A named float32 tensor's shape. Names are printable ASCII without quotes or backslashes, at most 256 chars. */
public record TensorSpec(String name, int[] shape) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/\\-]{1,256}");

    public TensorSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tensor name must match " + NAME.pattern() + ": " + name);
        }
        if (name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name __metadata__ is reserved");
        }
        shape = shape.clone();
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor " + name + " has a negative dimension: " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + name + " has too many elements: " + count);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a scalar). */
    public int elementCount() {
        int count = 1;
        for (int dim : shape) {
            count *= dim;
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
