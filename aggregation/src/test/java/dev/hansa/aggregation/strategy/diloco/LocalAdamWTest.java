package dev.hansa.aggregation.strategy.diloco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.TestVectors;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalAdamWTest {

    static TrainingPlan plan(int steps, int batch, double lr, Map<String, Double> params) {
        return new TrainingPlan("diloco", "train", 0, steps, batch, lr, 7, params);
    }

    @Test
    void fullBatchStepsEqualTheDoublePrecisionAdamW() {
        QuadraticModel m = QuadraticModel.random(8, 4, 3);
        double[] x0 = {0.5, -1.0, 2.0, 0.3};
        Map<String, Double> params = Map.of("beta1", 0.8, "beta2", 0.9, "epsilon", 1e-6, "weightDecay", 0.05,
                "gradientClipNorm", 0.5);
        LocalResult r = new LocalAdamW("diloco").train(m, TestVectors.of(m.spec(), x0), plan(9, 8, 0.05, params),
                Optional.empty(), State.EMPTY);
        double[] expected = new AdamWReference(0.05, 0.8, 0.9, 1e-6, 0.05, 0.5).run(m, x0, 9);
        for (int j = 0; j < expected.length; j++) {
            expected[j] -= x0[j];
        }
        TestVectors.assertClose(expected, r.update().values(), 1e-5);
        assertEquals(8, r.numSamples());
    }

    @Test
    void defaultsArePyTorchsAndTheClientStateIsKept() {
        QuadraticModel m = QuadraticModel.random(5, 3, 4);
        double[] x0 = {1, 0, -1};
        State state = new State(Map.of(), Map.of("k", 2.0));
        LocalResult r = new LocalAdamW("diloco").train(m, TestVectors.of(m.spec(), x0), plan(4, 5, 0.1, Map.of()),
                Optional.empty(), state);
        double[] expected = new AdamWReference(0.1, 0.9, 0.999, 1e-8, 0, 0).run(m, x0, 4);
        for (int j = 0; j < expected.length; j++) {
            expected[j] -= x0[j];
        }
        TestVectors.assertClose(expected, r.update().values(), 1e-5);
        assertSame(state, r.state());
    }

    @Test
    void theSnapshotIsTheWeightsBeforeTheLastSteps() {
        QuadraticModel m = QuadraticModel.random(6, 3, 5);
        float[] x0 = {0.2f, 0.1f, -0.4f};
        LocalAdamW adamW = new LocalAdamW("diloco");
        LocalAdamW.Options options = adamW.options(Map.of());
        LocalAdamW.Trained seven = LocalAdamW.run(m, x0, plan(7, 6, 0.05, Map.of()), options, 2);
        LocalAdamW.Trained five = LocalAdamW.run(m, x0, plan(5, 6, 0.05, Map.of()), options, 0);
        assertArrayEquals(five.weights(), seven.snapshot());
    }

    @Test
    void refusesOptionsItDoesNotTakeNamingTheField() {
        LocalAdamW adamW = new LocalAdamW("diloco");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adamW.check(Map.of("momentum", 0.9)));
        assertTrue(e.getMessage().startsWith("training.params: unknown field(s) [momentum]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adamW.check(Map.of("beta2", 1.0)));
        assertTrue(e.getMessage().contains("training.params.beta2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adamW.check(Map.of("epsilon", 0.0)));
        assertTrue(e.getMessage().contains("training.params.epsilon"), e.getMessage());
    }
}
