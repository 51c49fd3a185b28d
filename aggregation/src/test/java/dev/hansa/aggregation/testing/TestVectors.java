package dev.hansa.aggregation.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Helpers for building weights and updates and comparing them with double-precision references. */
public final class TestVectors {

    public static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {3, 4}), new TensorSpec("b", new int[] {5}));

    private TestVectors() {
    }

    public static Tensors random(ModelSpec spec, Random r) {
        float[] v = new float[spec.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new Tensors(spec, v);
    }

    public static Tensors of(ModelSpec spec, double... values) {
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values[i];
        }
        return new Tensors(spec, v);
    }

    public static Update update(String id, Tensors delta, long n) {
        return new Update(id, "train", delta, n, Map.of());
    }

    public static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    public static void assertClose(double[] expected, float[] actual, double relTol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double tol = relTol * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, "element " + i);
        }
    }

    public static List<Update> randomUpdates(Random r, int count) {
        List<Update> updates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            updates.add(update("c" + i, random(SPEC, r), 1 + r.nextInt(1000)));
        }
        return updates;
    }
}
