package dev.hansa.aggregation.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import dev.hansa.aggregation.update.transform.ErrorFeedback;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Error feedback with the sparsifying codecs: exact residuals, and convergence on a toy quadratic. */
class SparseErrorFeedbackTest {

    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {200}));

    /**
     * Gradient descent on {@code f(x) = ||x - x*||^2 / 2} with step 0.02, every step sent through the pipeline and
     * decoded from real frames: with error feedback, keeping 5% of the coordinates per round still reaches x* (the
     * step must stay below about k/d for the delayed coordinates not to overshoot, Stich et al. 2018); the
     * residual carried forward is, bit for bit, the corrected update at the dropped coordinates and zero elsewhere.
     */
    @ParameterizedTest
    @ValueSource(strings = {"topk", "randk"})
    void residualIsExactlyWhatWasDroppedAndTheToyProblemConverges(String codecName) {
        UpdatePipeline pipeline = UpdatePipeline.of(new UpdateSpec(codecName, 0, true, 0.05));
        Random r = new Random(6);
        int d = SPEC.parameterCount();
        double[] target = new double[d];
        for (int i = 0; i < d; i++) {
            target[i] = r.nextGaussian();
        }
        double[] x = new double[d];
        State state = State.EMPTY;
        double start = distance(x, target);
        for (int t = 0; t < 1500; t++) {
            float[] step = new float[d];
            for (int i = 0; i < d; i++) {
                step[i] = (float) (-0.02 * (x[i] - target[i]));
            }
            long seed = 1000 + t;
            UpdatePipeline.Prepared p = pipeline.prepare(new Tensors(SPEC, step), state, seed);
            UpdateCodec codec = pipeline.codec(seed);
            float[] decoded = codec.decode(MemorySegment.ofArray(codec.encode(p.update(), Map.of())), SPEC)
                    .values().values();
            float[] corrected = p.update().values();
            float[] residual = p.state().tensor("errorFeedback." + ErrorFeedback.RESIDUAL).orElseThrow().values();
            int kept = 0;
            for (int i = 0; i < d; i++) {
                boolean wasKept = decoded[i] != 0;
                kept += wasKept ? 1 : 0;
                assertEquals(Float.floatToIntBits(wasKept ? 0f : corrected[i]), Float.floatToIntBits(residual[i] + 0f),
                        codecName + " round " + t + " coordinate " + i);
                if (wasKept) {
                    assertEquals(corrected[i], decoded[i], 0f);
                }
                x[i] += decoded[i];
            }
            assertTrue(kept <= 10, "k = 5% of 200");
            state = StateCodec.decode(StateCodec.encode(p.state()));
        }
        assertTrue(distance(x, target) < 1e-3 * start, codecName + ": " + distance(x, target) + " of " + start);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
