package dev.hansa.aggregation.strategy.fedopt;

import static dev.hansa.aggregation.testing.TestVectors.SPEC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.Aggregates;
import dev.hansa.aggregation.testing.TestVectors;
import dev.hansa.aggregation.update.Update;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerOptimizerTest {

    static double[] delta(Random r) {
        double[] d = new double[SPEC.parameterCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() * 0.1);
        }
        return d;
    }

    interface VRule {
        double next(double v, double d2);
    }

    static void assertFirstAdaptiveStep(ServerOptimizer opt, double eta, double b1, double tau, VRule rule) {
        Random r = new Random(1);
        Tensors x = TestVectors.random(SPEC, r);
        double[] d = delta(r);
        ServerOptimizer.Step step = opt.step(x, d, opt.initialState(x));
        double[] expected = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            double m = (1 - b1) * d[i];
            double v = rule.next(tau * tau, d[i] * d[i]);
            expected[i] = x.values()[i] + eta * m / (Math.sqrt(v) + tau);
            assertEquals(m, step.state().tensor("m").orElseThrow().values()[i], 1e-7);
            assertEquals(v, step.state().tensor("v").orElseThrow().values()[i], 1e-7 * Math.max(1, v));
        }
        TestVectors.assertClose(expected, step.model().values(), 1e-6);
    }

    @Test
    void fedAdamFirstStepEqualsTheFormula() {
        assertFirstAdaptiveStep(AdaptiveServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3), 0.1, 0.9, 1e-3,
                (v, d2) -> 0.99 * v + 0.01 * d2);
    }

    @Test
    void fedYogiFirstStepEqualsTheFormula() {
        assertFirstAdaptiveStep(AdaptiveServerOptimizer.fedYogi(0.01, 0.9, 0.99, 1e-3), 0.01, 0.9, 1e-3,
                (v, d2) -> v - 0.01 * d2 * Math.signum(v - d2));
    }

    @Test
    void fedAdagradFirstStepEqualsTheFormula() {
        assertFirstAdaptiveStep(AdaptiveServerOptimizer.fedAdagrad(0.1, 0.0, 1e-3), 0.1, 0.0, 1e-3, (v, d2) -> v + d2);
    }

    @Test
    void fedAdamSecondStepUsesTheStoredMoments() {
        // One coordinate by hand: D1 = 0.2, D2 = -0.1, eta 0.5, b1 0.5, b2 0.5, tau 0.1.
        var spec = dev.hansa.aggregation.tensor.ModelSpec.of(new dev.hansa.aggregation.tensor.TensorSpec("x", new int[] {1}));
        AdaptiveServerOptimizer adam = AdaptiveServerOptimizer.fedAdam(0.5, 0.5, 0.5, 0.1);
        Tensors x0 = TestVectors.of(spec, 1.0);
        ServerOptimizer.Step s1 = adam.step(x0, new double[] {0.2}, adam.initialState(x0));
        ServerOptimizer.Step s2 = adam.step(s1.model(), new double[] {-0.1}, s1.state());
        double m1 = 0.1, v1 = 0.5 * 0.01 + 0.5 * 0.04;        // 0.025
        double x1 = 1.0 + 0.5 * m1 / (Math.sqrt(v1) + 0.1);
        double m2 = 0.5 * m1 + 0.5 * -0.1, v2 = 0.5 * v1 + 0.5 * 0.01;
        double x2 = x1 + 0.5 * m2 / (Math.sqrt(v2) + 0.1);
        assertEquals(x1, s1.model().values()[0], 1e-6);
        assertEquals(x2, s2.model().values()[0], 1e-6);
    }

    @Test
    void fedAvgMAccumulatesVelocity() {
        var spec = dev.hansa.aggregation.tensor.ModelSpec.of(new dev.hansa.aggregation.tensor.TensorSpec("x", new int[] {1}));
        FedAvgM opt = new FedAvgM(2.0, 0.5);
        Tensors x0 = TestVectors.of(spec, 0.0);
        ServerOptimizer.Step s1 = opt.step(x0, new double[] {1.0}, opt.initialState(x0));
        ServerOptimizer.Step s2 = opt.step(s1.model(), new double[] {1.0}, s1.state());
        assertEquals(2.0, s1.model().values()[0], 1e-7);          // v = 1
        assertEquals(2.0 + 2.0 * 1.5, s2.model().values()[0], 1e-6); // v = 0.5 + 1
    }

    @Test
    void rejectsAStateOfAnotherStrategy() {
        Tensors x = Tensors.zeros(SPEC);
        AdaptiveServerOptimizer adam = AdaptiveServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3);
        assertThrows(IllegalArgumentException.class, () -> adam.step(x, new double[x.values().length], State.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> AdaptiveServerOptimizer.fedAdam(0.1, 1.0, 0.99, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> AdaptiveServerOptimizer.fedYogi(0.1, 0.9, 0.99, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fedavg", "fedprox", "fedavgm", "fedadam", "fedyogi", "fedadagrad"})
    void restartFromEncodedStateContinuesIdentically(String name) {
        Strategy strategy = Strategies.create(name, Map.of());
        Random r = new Random(name.hashCode());
        Tensors x0 = TestVectors.random(SPEC, r);
        List<List<Update>> rounds = List.of(TestVectors.randomUpdates(r, 3), TestVectors.randomUpdates(r, 4),
                TestVectors.randomUpdates(r, 2), TestVectors.randomUpdates(r, 5));

        Tensors x = x0;
        State state = strategy.initialState(x0);
        Tensors restartedX = x0;
        State restartedState = strategy.initialState(x0);
        for (int t = 0; t < rounds.size(); t++) {
            RoundResult a = round(strategy, t, x, state, rounds.get(t));
            x = a.model();
            state = a.state();
            // The restarted server sees only bytes, and a fresh strategy object.
            Strategy fresh = Strategies.create(name, Map.of());
            State decoded = StateCodec.decode(StateCodec.encode(restartedState));
            RoundResult b = round(fresh, t, restartedX, decoded, rounds.get(t));
            restartedX = b.model();
            restartedState = b.state();
        }
        assertArrayEquals(x.values(), restartedX.values());
        for (String key : state.tensors().keySet()) {
            assertArrayEquals(state.tensors().get(key).values(), restartedState.tensors().get(key).values(), key);
        }
    }

    private static RoundResult round(Strategy s, int t, Tensors x, State state, List<Update> updates) {
        RoundContext ctx = new RoundContext(t + 1, 10, updates.size(), 17 + t);
        Aggregates agg = Aggregates.of(s, x.spec());
        updates.forEach(agg::add);
        return s.finishRound(ctx, x, state, agg.result());
    }
}
