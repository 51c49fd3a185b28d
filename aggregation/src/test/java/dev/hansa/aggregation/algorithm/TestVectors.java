package dev.hansa.aggregation.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.model.TensorSpec;
import dev.hansa.aggregation.strategy.ClientUpdate;
import java.util.Map;
import java.util.Random;

/** Helpers for building weights and updates and comparing them with double-precision references. */
final class TestVectors {

    static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {3, 4}), new TensorSpec("b", new int[] {5}));

    private TestVectors() {
    }

    static ModelWeights random(ModelSpec spec, Random r) {
        float[] v = new float[spec.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new ModelWeights(spec, v);
    }

    static ModelWeights of(ModelSpec spec, double... values) {
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values[i];
        }
        return new ModelWeights(spec, v);
    }

    static ClientUpdate update(String id, ModelWeights delta, long n) {
        return new ClientUpdate(id, "train", delta, n, Map.of());
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static void assertClose(double[] expected, float[] actual, double relTol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double tol = relTol * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, "element " + i);
        }
    }
}
