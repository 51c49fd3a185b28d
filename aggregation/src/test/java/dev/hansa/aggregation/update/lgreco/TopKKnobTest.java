package dev.hansa.aggregation.update.lgreco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKKnobTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {20, 50}),
            new TensorSpec("b", new int[] {20}));
    private static final LGreCoSettings SETTINGS = new LGreCoSettings(1, 5);
    private static final TopKKnob KNOB = new TopKKnob(0.1, SETTINGS);

    @Test
    void theGridRunsFromHalfToTwiceUpdateKWithKInTheMiddle() {
        assertArrayEquals(new double[] {0.5, Math.sqrt(0.5), 1, Math.sqrt(2), 2}, SETTINGS.factors(), 1e-15);
        assertEquals(2, SETTINGS.uniform());
        assertArrayEquals(new double[] {0.5, 1, 2}, new LGreCoSettings(1, 3).factors(), 0);
        assertArrayEquals(new double[] {0.05, 0.1 * Math.sqrt(0.5), 0.1, 0.1 * Math.sqrt(2), 0.2}, KNOB.options(),
                1e-15);
        assertEquals(0.1, KNOB.options()[SETTINGS.uniform()], 0, "the uniform density exactly");
    }

    @Test
    void errorIsTheNormOfWhatTopKDropsPerTensor() {
        Random r = new Random(3);
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        double[][] errors = KNOB.errors(new Tensors(SPEC, v));
        int[][] kept = {{50, 71, 100, 141, 200}, {1, 1, 2, 3, 4}};
        for (int l = 0; l < 2; l++) {
            int offset = SPEC.offset(l);
            int n = SPEC.tensors().get(l).elementCount();
            // Independent reference: sort the squares, drop the k largest, sum the rest from the smallest up.
            double[] squares = new double[n];
            for (int i = 0; i < n; i++) {
                squares[i] = (double) v[offset + i] * v[offset + i];
            }
            Arrays.sort(squares);
            for (int j = 0; j < 5; j++) {
                double rest = 0;
                for (int i = 0; i < n - kept[l][j]; i++) {
                    rest += squares[i];
                }
                assertEquals(Math.sqrt(rest), errors[l][j], 1e-12 * Math.sqrt(rest), "tensor " + l + " option " + j);
            }
        }
    }

    @Test
    void sizeIsKTimesAValueAndAnIndexOfCeilLog2DBits() {
        long[][] sizes = KNOB.sizes(SPEC);
        // d = 1000: 10 index bits; d = 20: 5. k per option as in the test above.
        assertArrayEquals(new long[] {50 * 42, 71 * 42, 100 * 42, 141 * 42, 200 * 42}, sizes[0]);
        assertArrayEquals(new long[] {37, 37, 2 * 37, 3 * 37, 4 * 37}, sizes[1]);
    }
}
