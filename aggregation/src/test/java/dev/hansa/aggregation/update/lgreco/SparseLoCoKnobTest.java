package dev.hansa.aggregation.update.lgreco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.SparseLoCoCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.codec.UpdateFrame;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** sparseloco's knob: the grid, the payload model against the frames, the error against what the server decodes. */
class SparseLoCoKnobTest {

    /** A matrix of 2 x 3 chunks of 8 x 8 (chunk 8) and a vector cut into 5 chunks of 1 x 7. */
    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {16, 24}),
            new TensorSpec("b", new int[] {35}));
    private static final LGreCoSettings SETTINGS = new LGreCoSettings(1, 5);
    private static final Map<String, String> META = Map.of("num_samples", "7");
    private static final SparseLoCoKnob KNOB = new SparseLoCoKnob(8, 8, SETTINGS);

    private static Tensors update(long seed) {
        Random r = new Random(seed);
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * (i % 5 == 0 ? 4 : 1));
        }
        return new Tensors(SPEC, v);
    }

    @Test
    void theGridRunsFromHalfToTwiceKPerChunkRoundedWithItInTheMiddle() {
        assertArrayEquals(new double[] {64, 91, 128, 181, 256}, new SparseLoCoKnob(64, 128, SETTINGS).options(), 0);
        assertArrayEquals(new double[] {4, 6, 8, 11, 16}, KNOB.options(), 0);
        assertArrayEquals(new double[] {1, 1, 1, 1, 2}, new SparseLoCoKnob(8, 1, SETTINGS).options(), 0,
                "at least one entry");
        assertArrayEquals(new double[] {2, 3, 4, 4, 4}, new SparseLoCoKnob(2, 4, SETTINGS).options(), 0,
                "at most chunk^2");
    }

    @Test
    void theErrorIsTheNormOfWhatThePlannedCodecChangesAsTheServerDecodesIt() {
        Tensors u = update(3);
        double[][] errors = KNOB.errors(u);
        for (int w = 0; w < 5; w++) {
            for (int b = 0; b < 5; b++) {
                UpdateCodec planned = KNOB.codec(Map.of("w", KNOB.options()[w], "b", KNOB.options()[b]));
                float[] decoded = planned.decode(MemorySegment.ofArray(planned.encode(u, META)), SPEC).values()
                        .values();
                double[] squares = new double[2];
                for (int i = 0; i < decoded.length; i++) {
                    double diff = (double) u.values()[i] - decoded[i];
                    squares[i < 384 ? 0 : 1] += diff * diff;
                }
                assertEquals(Math.sqrt(squares[0]), errors[0][w], 1e-12 * errors[0][w], "w at option " + w);
                assertEquals(Math.sqrt(squares[1]), errors[1][b], 1e-12 * errors[1][b], "b at option " + b);
            }
        }
        assertTrue(errors[0][0] > errors[0][2] && errors[0][2] > errors[0][4], "more kept, less error");
    }

    @Test
    void sizesSumToThePayloadTheCodecWritesAndCounts() {
        long[][] sizes = KNOB.sizes(SPEC);
        // w: 6 chunks of 64 keeping k, 6-bit indices; b: 5 chunks of 7 (the largest divisor of 35 at most 8) keeping
        // max(1, rint(7 k / 64)) = 1, 1, 1, 1, 2, 3-bit indices; each entry also a 2-bit code.
        assertArrayEquals(new long[] {160 + 6 * 4 * 8, 160 + 6 * 6 * 8, 160 + 6 * 8 * 8, 160 + 6 * 11 * 8,
            160 + 6 * 16 * 8}, sizes[0]);
        assertArrayEquals(new long[] {160 + 5 * 5, 160 + 5 * 5, 160 + 5 * 5, 160 + 5 * 5, 160 + 5 * 2 * 5}, sizes[1]);
        Tensors u = update(4);
        for (int w = 0; w < 5; w++) {
            UpdateCodec planned = KNOB.codec(Map.of("w", KNOB.options()[w]));
            long bits = sizes[0][w] + sizes[1][SETTINGS.uniform()];
            assertEquals(UpdateFrame.size("sparseloco", META, (bits + 7) / 8), planned.encode(u, META).length);
            assertEquals(planned.encode(u, META).length, planned.encodedSize(SPEC, META));
        }
    }

    @Test
    void theServerRefusesAFrameThatDoesNotFollowThePlan() {
        UpdateCodec planned = KNOB.codec(Map.of("w", 4.0));
        byte[] uniform = new SparseLoCoCodec(8, 8).encode(update(5), META);
        assertThrows(InvalidTensorsException.class, () -> planned.decode(MemorySegment.ofArray(uniform), SPEC));
        for (double bad : new double[] {0, 6.5, 65}) {
            String message = assertThrows(IllegalArgumentException.class, () -> KNOB.codec(Map.of("b", bad)))
                    .getMessage();
            assertTrue(message.startsWith("update.tensorKnob.b must be sparseloco's kPerChunk"), message);
        }
    }
}
