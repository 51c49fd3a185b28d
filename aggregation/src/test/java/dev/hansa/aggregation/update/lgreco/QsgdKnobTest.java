package dev.hansa.aggregation.update.lgreco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.InvalidTensorsException;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.QsgdCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.codec.UpdateFrame;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** qsgd's knob: the grid in code bits, the payload model against the frames, the expected error against draws. */
class QsgdKnobTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {20, 50}),
            new TensorSpec("b", new int[] {37}));
    private static final LGreCoSettings SETTINGS = new LGreCoSettings(1, 5);
    private static final Map<String, String> META = Map.of("num_samples", "7");

    private static Tensors update(long seed) {
        Random r = new Random(seed);
        float[] v = new float[SPEC.parameterCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * (i % 7 == 0 ? 3 : 1));
        }
        return new Tensors(SPEC, v);
    }

    @Test
    void theGridStepsOneCodeBitAtATimeAroundTheUniformLevels() {
        assertArrayEquals(new double[] {1, 3, 7, 15, 31}, new QsgdKnob(7, 64, SETTINGS).options(), 0,
                "2 to 6 bits, each width's most levels");
        assertArrayEquals(new double[] {1, 3, 5, 15, 31}, new QsgdKnob(5, 64, SETTINGS).options(), 0,
                "the middle is the uniform levels, 5 (4 bits)");
        assertArrayEquals(new double[] {1, 1, 1, 3, 7}, new QsgdKnob(1, 64, SETTINGS).options(), 0,
                "no width below 2 bits: clamped to 1 level");
        assertArrayEquals(new double[] {8191, 16383, 32767, 32767, 32767},
                new QsgdKnob(QsgdCodec.MAX_LEVELS, 64, SETTINGS).options(), 0, "clamped to the codec's most");
    }

    @Test
    void theExpectedErrorOfAHandCase() {
        // {3, 4}, norm 5, s = 2: r = 1.2 and 1.6. 3 decodes to 2.5 (p 0.8) or 5 (0.2): 0.8 * 0.25 + 0.2 * 4 = 1;
        // 4 to 2.5 (0.4) or 5 (0.6): 0.4 * 2.25 + 0.6 * 1 = 1.5. E||Q(x) - x||^2 = 2.5.
        assertEquals(2.5, QsgdCodec.expectedSquaredError(new float[] {3, 4}, 0, 2, 2), 1e-12);
        assertEquals(0, QsgdCodec.expectedSquaredError(new float[] {3, -4, 0}, 0, 3, 5), 0, "on the levels");
        assertEquals(0, QsgdCodec.expectedSquaredError(new float[3], 0, 3, 5), 0, "a zero bucket");
    }

    @Test
    void theErrorIsTheRootOfTheMeanSquaredErrorOfTheCodecsDraws() {
        Tensors u = update(5);
        int bucket = 64;
        QsgdKnob knob = new QsgdKnob(7, bucket, SETTINGS);
        double[][] errors = knob.errors(u);
        int draws = 400;
        for (int j = 0; j < 5; j++) {
            int s = (int) knob.options()[j];
            double[][] squares = new double[2][draws];
            for (int seed = 0; seed < draws; seed++) {
                float[] q = new QsgdCodec(s, bucket).forParticipant(seed).reconstruct(u).values();
                for (int i = 0; i < q.length; i++) {
                    double diff = (double) q[i] - u.values()[i];
                    squares[i < 1000 ? 0 : 1][seed] += diff * diff;
                }
            }
            for (int l = 0; l < 2; l++) {
                double mean = 0;
                for (double x : squares[l]) {
                    mean += x / draws;
                }
                double variance = 0;
                for (double x : squares[l]) {
                    variance += (x - mean) * (x - mean) / (draws - 1);
                }
                // Tolerance: 5 standard errors of the Monte-Carlo mean, plus 1e-6 relative for the float32 rounding
                // of each decoded value, which the closed form leaves out.
                double expected = errors[l][j] * errors[l][j];
                double tolerance = 5 * Math.sqrt(variance / draws) + 1e-6 * expected;
                assertEquals(expected, mean, tolerance, "tensor " + l + " at s = " + s);
            }
        }
        assertTrue(errors[0][0] > errors[0][2] && errors[0][2] > errors[0][4], "more levels, less error");
    }

    @Test
    void sizesAreTheFramesPayloadAndThePlannedCodecRunsEachTensorAtItsLevels() {
        int bucket = 64;
        QsgdKnob knob = new QsgdKnob(7, bucket, SETTINGS);
        long[][] sizes = knob.sizes(SPEC);
        // w: 1000 values in 16 buckets; b: 37 values in 1 bucket; at 2 to 6 bits.
        assertArrayEquals(new long[] {2000 + 512, 3000 + 512, 4000 + 512, 5000 + 512, 6000 + 512}, sizes[0]);
        assertArrayEquals(new long[] {74 + 32, 111 + 32, 148 + 32, 185 + 32, 222 + 32}, sizes[1]);
        Tensors u = update(6);
        for (int w = 0; w < 5; w++) {
            for (int b = 0; b < 5; b++) {
                UpdateCodec planned = knob.codec(Map.of("w", knob.options()[w], "b", knob.options()[b]))
                        .forParticipant(9);
                byte[] frame = planned.encode(u, META);
                long bits = sizes[0][w] + sizes[1][b];
                assertEquals(UpdateFrame.size("qsgd", META, (bits + 7) / 8), frame.length, "options " + w + ", " + b);
                assertEquals(frame.length, planned.encodedSize(SPEC, META));
                float[] decoded = planned.decode(MemorySegment.ofArray(frame), SPEC).values().values();
                assertArrayEquals(planned.reconstruct(u).values(), decoded);
                // Each tensor as the uniform codec at its own levels rounds it: the same words, the same codes.
                float[] atW = new QsgdCodec((int) knob.options()[w], bucket).forParticipant(9).reconstruct(u).values();
                float[] atB = new QsgdCodec((int) knob.options()[b], bucket).forParticipant(9).reconstruct(u).values();
                for (int i = 0; i < decoded.length; i++) {
                    assertEquals(i < 1000 ? atW[i] : atB[i], decoded[i], "parameter " + i);
                }
            }
        }
    }

    @Test
    void theServerRefusesAFrameThatDoesNotFollowThePlan() {
        QsgdKnob knob = new QsgdKnob(7, 64, SETTINGS);
        UpdateCodec planned = knob.codec(Map.of("w", 3.0)).forParticipant(9);
        byte[] uniform = new QsgdCodec(7, 64).forParticipant(9).encode(update(7), META);
        assertThrows(InvalidTensorsException.class, () -> planned.decode(MemorySegment.ofArray(uniform), SPEC));
        for (double bad : new double[] {0, 2.5, 32768}) {
            String message = assertThrows(IllegalArgumentException.class, () -> knob.codec(Map.of("w", bad)))
                    .getMessage();
            assertTrue(message.startsWith("update.tensorKnob.w must be qsgd's levels"), message);
        }
    }
}
