package dev.hansa.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StrategiesTest {

    static void assertRejected(String field, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(field), "message names " + field + ": " + e.getMessage());
    }

    @Test
    void everyNameHasAStrategyAndALocalProcedureOfThatName() {
        assertTrue(Strategies.names().contains("fedavg"));
        for (String name : Strategies.names()) {
            assertEquals(name, Strategies.create(name, Map.of()).name());
            assertEquals(name, Strategies.clientOptimizer(name).name());
        }
    }

    @Test
    void fedProxPlansCarryMuAndTheTrainingOptions() {
        TrainingConfig t = new TrainingConfig(1, 5, 10, 0.1, Map.of("weightDecay", 1e-4));
        Strategy prox = Strategies.create("fedprox", Map.of("mu", 0.5), t);
        TrainingPlan plan = prox.planRound(new RoundContext(1, 3, 1, 9), List.of("a"),
                Tensors.zeros(ModelSpec.of(new TensorSpec("x", new int[] {2}))), State.EMPTY).plans().get("a");
        assertEquals(0.5, plan.param("mu", -1));
        assertEquals(1e-4, plan.param("weightDecay", -1));
        assertRejected("mu", () -> Strategies.create("fedprox", Map.of("mu", -1)));
        assertRejected("mu", () -> Strategies.create("fedavg", Map.of("mu", 0.1)));
    }

    @Test
    void anOptionTheStrategySetsIsRefusedInTrainingParams() {
        // The strategy's value used to override it silently, so the given value was neither checked nor used.
        assertRejected("training.params.mu: fedprox sets it from strategy.params",
                () -> Strategies.create("fedprox", Map.of("mu", 0.5), new TrainingConfig(1, 5, 10, 0.1, Map.of("mu", 0.3))));
        assertRejected("training.params.beta: fedspeed sets it from strategy.params",
                () -> Strategies.create("fedspeed", Map.of(), new TrainingConfig(1, 5, 10, 0.1, Map.of("beta", -1e9))));
        assertRejected("training.params.anchorBatchSize: fedamd sets it from strategy.params",
                () -> Strategies.create("fedamd", Map.of(), new TrainingConfig(0, 5, 10, 0.1,
                        Map.of("anchorBatchSize", 4.0))));
    }

    @Test
    void acceptsJsonNumberTypes() {
        for (Object eta : new Object[] {1, 2L, 0.5, new BigDecimal("0.25")}) {
            assertEquals("fedavg", Strategies.create("fedavg", Map.of("serverLearningRate", eta)).name());
        }
    }

    @Test
    void nullIsRefusedNotTakenForAbsent() {
        Map<String, Object> params = new HashMap<>();
        params.put("beta1", null);
        assertRejected("strategy.params.beta1 is null", () -> Strategies.create("fedadam", params));
        Map<String, Object> training = new HashMap<>();
        training.put("batchSize", null);
        assertRejected("training.batchSize is null",
                () -> TrainingConfig.fromMap(training, Strategies.defaultTraining("fedavg")));
    }

    @Test
    void rejectsUnknownNamesParametersAndRanges() {
        assertRejected("fedfoo", () -> Strategies.create("fedfoo", Map.of()));
        assertRejected("fedfoo", () -> Strategies.clientOptimizer("fedfoo"));
        assertRejected("serverLearningrate", () -> Strategies.create("fedavg", Map.of("serverLearningrate", 1)));
        assertRejected("serverLearningRate", () -> Strategies.create("fedavg", Map.of("serverLearningRate", 0)));
        assertRejected("serverLearningRate", () -> Strategies.create("fedavg", Map.of("serverLearningRate", "1")));
        assertRejected("serverLearningRate",
                () -> Strategies.create("fedavg", Map.of("serverLearningRate", Double.NaN)));
    }

    @Test
    void reportsTheParametersItRunsWithGivenOrDefaulted() {
        var fedAmd = Strategies.configure("fedamd", Map.of("anchorSchedule", "sequential", "serverLearningRate", 2),
                Strategies.defaultTraining("fedamd"));
        assertEquals("fedamd", fedAmd.strategy().name());
        // A sequential schedule reads no probability; the integer parameter keeps its integer type.
        assertEquals(Map.of("anchorSchedule", "sequential", "serverLearningRate", 2.0, "anchorBatchSize", 0L),
                fedAmd.effectiveParams());
        assertEquals(Map.of("serverLearningRate", 1.0, "mu", 0.01, "weighting", "samples"),
                Strategies.configure("fedprox", Map.of(), Strategies.defaultTraining("fedprox")).effectiveParams());
    }

    @Test
    void messagesNameTheFieldByItsPathInTheFederationConfig() {
        assertRejected("strategy.params.beta1 must be in [0, 1), got 1.5",
                () -> Strategies.create("fedadam", Map.of("beta1", 1.5)));
        assertRejected("strategy.params: unknown field(s) [mu] for fedavg",
                () -> Strategies.create("fedavg", Map.of("mu", 0.1)));
        assertRejected("training.learningRate", () -> TrainingConfig.fromMap(Map.of("learningRate", -1),
                Strategies.defaultTraining("fedavg")));
    }

    @Test
    void parsesTheTrainingSection() {
        TrainingConfig t = TrainingConfig.fromMap(Map.of("localEpochs", 2, "batchSize", 64L, "learningRate", 0.01,
                "params", Map.of("momentum", 0.9)), Strategies.defaultTraining("fedavg"));
        assertEquals(new TrainingConfig(2, 0, 64, 0.01, Map.of("momentum", 0.9)), t);
        assertEquals("fedavg", Strategies.create("fedavg", Map.of(), t).name());
        assertRejected("batchSize", () -> TrainingConfig.fromMap(Map.of("batchSize", 0), t));
        assertRejected("localEpochs", () -> TrainingConfig.fromMap(Map.of("localEpochs", 1.5), t));
        assertRejected("epochs", () -> TrainingConfig.fromMap(Map.of("epochs", 1), t));
        assertRejected("momentum", () -> Strategies.create("fedavg", Map.of(),
                TrainingConfig.fromMap(Map.of("params", Map.of("momentum", 2)), t)));
        // Found by FederationConfigFuzzTest: FedSpeed overrides beta, so -1e400 (-Infinity once parsed) went unchecked
        // into a stored config that then failed to read back.
        assertRejected("training.params.beta must be a finite number", () -> TrainingConfig.fromMap(
                Map.of("params", Map.of("beta", Double.NEGATIVE_INFINITY)), Strategies.defaultTraining("fedspeed")));
    }
}
