package dev.hansa.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.RoundDriver;
import dev.hansa.aggregation.testing.TestVectors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every registered strategy must do when driven round by round as the server and the SDK drive it. */
class StrategyContractTest {

    static Stream<String> names() {
        return Strategies.names().stream();
    }

    static Map<String, QuadraticModel> clients() {
        Map<String, QuadraticModel> clients = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            clients.put("client-" + i, QuadraticModel.random(6 + 3 * i, 3, 100 + i));
        }
        return clients;
    }

    static Strategy create(String name) {
        TrainingConfig defaults = Strategies.defaultTraining(name);
        // Few cheap steps with a small rate: the contract is about plumbing, not about convergence.
        TrainingConfig training = new TrainingConfig(0, 3, 4, 0.02, defaults.params());
        return Strategies.create(name, Map.of(), training);
    }

    static Tensors start() {
        return TestVectors.of(QuadraticModel.random(1, 3, 0).spec(), 0.5, -0.5, 1.0);
    }

    @ParameterizedTest
    @MethodSource("names")
    void isDeterministicAndReducesTheLoss(String name) {
        RoundDriver a = new RoundDriver(create(name), clients(), start());
        RoundDriver b = new RoundDriver(create(name), clients(), start());
        double before = totalLoss(a);
        a.run(8);
        b.run(8);
        assertArrayEquals(a.model().values(), b.model().values());
        assertEquals(-1, a.model().firstNonFinite());
        assertTrue(totalLoss(a) < before, name + ": loss " + before + " -> " + totalLoss(a));
        assertNotEquals(0.0, a.lastMetrics().getOrDefault("clients", 0.0));
    }

    @ParameterizedTest
    @MethodSource("names")
    void continuesIdenticallyFromEncodedServerAndClientState(String name) {
        RoundDriver uninterrupted = new RoundDriver(create(name), clients(), start());
        RoundDriver restarted = new RoundDriver(create(name), clients(), start());
        for (int t = 0; t < 6; t++) {
            uninterrupted.step();
            restarted.step();
            restarted.reload(s -> StateCodec.decode(StateCodec.encode(s)));
        }
        assertArrayEquals(uninterrupted.model().values(), restarted.model().values());
        assertStatesEqual(uninterrupted.serverState(), restarted.serverState());
    }

    private static void assertStatesEqual(State expected, State actual) {
        assertEquals(expected.scalars(), actual.scalars());
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        expected.tensors().forEach((k, w) -> assertArrayEquals(w.values(), actual.tensors().get(k).values(), k));
    }

    private static double totalLoss(RoundDriver d) {
        double[] x = TestVectors.toDouble(d.model().values());
        double sum = 0;
        for (QuadraticModel m : d.clients().values()) {
            sum += m.loss(x, m.allRows());
        }
        return sum;
    }
}
