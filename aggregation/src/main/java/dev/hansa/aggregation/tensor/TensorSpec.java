package dev.hansa.aggregation.tensor;

import java.util.Arrays;
import java.util.regex.Pattern;

/** A named float32 tensor's shape. Names are printable ASCII without quotes or backslashes, at most 256 chars. */
public record TensorSpec(String name, int[] shape) {

    /** What {@link #isValidName} accepts, in words. */
    public static final String NAME_RULE = "1 to 256 characters of A-Z a-z 0-9 _ . : / -, and not __metadata__";
    /** The most elements a tensor may have: its values must fit one Java array. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/\\-]{1,256}");

    public TensorSpec {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("tensor name must be " + NAME_RULE + ": "
                    + (name == null || name.length() <= 300 ? name : name.substring(0, 300) + "..."));
        }
        shape = shape.clone();
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor " + name + " has a negative dimension: " + Arrays.toString(shape));
            }
            // Saturating product: any rank stays below 2^62, and a later zero dimension still gives 0.
            count = Math.min(count, MAX_ELEMENTS + 1L) * dim;
        }
        if (count > MAX_ELEMENTS) {
            throw new IllegalArgumentException("tensor " + name + " has more than " + MAX_ELEMENTS + " elements");
        }
    }

    /** Whether {@code name} may name a tensor ({@link #NAME_RULE}); {@code __metadata__} is the file's metadata. */
    public static boolean isValidName(String name) {
        return name != null && name.length() <= 256 && NAME.matcher(name).matches() && !name.equals("__metadata__");
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
