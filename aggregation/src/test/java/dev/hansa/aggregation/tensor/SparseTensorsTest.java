package dev.hansa.aggregation.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sparse tensors against their expansion written out by hand. */
class SparseTensorsTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("a", new int[] {3}),
            new TensorSpec("b", new int[] {2, 3}));

    @Test
    void expandsToZerosAndTheStoredValuesOnlyWhenAskedAndThenStaysDense() {
        Tensors t = Tensors.sparse(SPEC, new SparseEntries(new int[] {1, 4, 8}, new float[] {2, -0.5f, 3}));
        assertTrue(t.sparseEntries().isPresent(), "held sparse until values() is called");
        assertEquals(Math.sqrt(4 + 0.25 + 9), t.l2Norm());
        assertEquals(-1, t.firstNonFinite());
        assertArrayEquals(new float[] {0, 2, 0, 0, -0.5f, 0, 0, 0, 3}, t.values());
        assertFalse(t.sparseEntries().isPresent(), "expanded: the dense array is the one truth");
        t.values()[0] = 5;
        assertEquals(Math.sqrt(25 + 4 + 0.25 + 9), t.l2Norm(), "an owner's change to the dense array counts");
        assertArrayEquals(new float[] {0, -0.5f, 0, 0, 0, 3}, t.tensor("b"));
    }

    @Test
    void normAndFinitenessHaveTheBitsOfTheDenseOnes() {
        Random r = new Random(5);
        int d = 10_000;
        ModelSpec spec = ModelSpec.of(new TensorSpec("w", new int[] {d}));
        for (int trial = 0; trial < 20; trial++) {
            int k = r.nextInt(500);
            int[] indices = r.ints(0, d).distinct().limit(k).sorted().toArray();
            float[] values = new float[indices.length];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) (r.nextGaussian() * Math.exp(3 * r.nextGaussian()));
            }
            float[] dense = new float[d];
            for (int j = 0; j < indices.length; j++) {
                dense[indices[j]] = values[j];
            }
            Tensors sparse = Tensors.sparse(spec, new SparseEntries(indices, values));
            assertEquals(Double.doubleToRawLongBits(new Tensors(spec, dense).l2Norm()),
                    Double.doubleToRawLongBits(sparse.l2Norm()), "trial " + trial);
            if (indices.length > 1) {
                values[indices.length / 2] = Float.NaN;
                dense[indices[indices.length / 2]] = Float.NaN;
                assertEquals(new Tensors(spec, dense).firstNonFinite(),
                        Tensors.sparse(spec, new SparseEntries(indices, values)).firstNonFinite());
            }
        }
    }

    @Test
    void refusesIndicesThatDoNotAscendStrictlyWithinTheModel() {
        assertThrows(IllegalArgumentException.class,
                () -> Tensors.sparse(SPEC, new SparseEntries(new int[] {2, 2}, new float[] {1, 1})));
        assertThrows(IllegalArgumentException.class,
                () -> Tensors.sparse(SPEC, new SparseEntries(new int[] {3, 1}, new float[] {1, 1})));
        assertThrows(IllegalArgumentException.class,
                () -> Tensors.sparse(SPEC, new SparseEntries(new int[] {9}, new float[] {1})));
        assertThrows(IllegalArgumentException.class,
                () -> Tensors.sparse(SPEC, new SparseEntries(new int[] {-1}, new float[] {1})));
        assertThrows(IllegalArgumentException.class, () -> new SparseEntries(new int[] {1}, new float[0]));
    }
}
