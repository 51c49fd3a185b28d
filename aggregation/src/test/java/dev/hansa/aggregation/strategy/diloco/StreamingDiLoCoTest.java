package dev.hansa.aggregation.strategy.diloco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.sampling.UniformSampler;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.fedopt.FedAvgM;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.RoundDriver;
import dev.hansa.aggregation.testing.TestVectors;
import dev.hansa.aggregation.update.UpdateSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamingDiLoCoTest {

    /** Three layers of 2, 1 and 2 parameters: with P = 2, fragment 0 is layers l1 and l3, fragment 1 is l2. */
    static final ModelSpec THREE_LAYERS = ModelSpec.of(new TensorSpec("l1.weight", new int[] {2}),
            new TensorSpec("l2.weight", new int[] {1}), new TensorSpec("l3.weight", new int[] {1}),
            new TensorSpec("l3.bias", new int[] {1}));
    static final boolean[][] FRAGMENT = {{true, true, false, true, true}, {false, false, true, false, false}};
    static final int STEPS = 4;
    static final int OVERLAP = 1;
    static final double LR = 0.05;
    static final double ALPHA = 0.5;
    static final double[] X0 = {0.4, -0.3, 0.8, 0.1, -0.5};

    static Map<String, QuadraticModel> clients() {
        Map<String, QuadraticModel> clients = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            clients.put("c" + i, QuadraticModel.random(4 + 2 * i, 5, 80 + i).withSpec(THREE_LAYERS));
        }
        return clients;
    }

    static Strategy strategy() {
        return Strategies.create(StreamingDiLoCo.NAME, Map.of("fragments", 2, "mixing", ALPHA, "overlapSteps", OVERLAP),
                new TrainingConfig(0, STEPS, 100, LR, Strategies.defaultTraining(StreamingDiLoCo.NAME).params()));
    }

    @Test
    void fragmentsAreLayersDealtStridedAndCappedAtTheLayerCount() {
        Fragments two = new Fragments(THREE_LAYERS, 2);
        assertEquals(List.of("l1.weight", "l3.weight", "l3.bias"), two.tensors(0));
        assertEquals(List.of("l2.weight"), two.tensors(1));
        assertEquals(0, two.ofRound(1));
        assertEquals(1, two.ofRound(2));
        assertEquals(0, two.ofRound(3));
        assertEquals(3, new Fragments(THREE_LAYERS, 7).count());
    }

    @Test
    void eachRoundsUpdateCarriesItsFragmentOnly() {
        Strategy s = strategy();
        Tensors model = TestVectors.of(THREE_LAYERS, X0);
        assertEquals(List.of("l2.weight"), s.planRound(new RoundContext(2, 3, 3, 5), List.of("c0"), model,
                s.initialState(model)).uploadedTensors());
        RoundProtocol protocol = new RoundProtocol(s, new UniformSampler(1.0, 1, 1), new UpdateSpec("bf16", 0, false),
                AggregationPipeline.Settings.DEFAULT);
        UpdateSpec stamped = protocol.open(1, 1, 1, List.of("c0"), 1, model, s.initialState(model)).plan().plans()
                .get("c0").update();
        assertEquals(new UpdateSpec("bf16", 0, false).withTensors(List.of("l1.weight", "l3.weight", "l3.bias")),
                stamped);
    }

    @Test
    void aRoundUploadsTheBytesOfItsFragmentOnly() {
        ModelSpec wideAndNarrow = ModelSpec.of(new TensorSpec("wide.weight", new int[] {100}),
                new TensorSpec("narrow.weight", new int[] {1}));
        Map<String, QuadraticModel> clients = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            clients.put("c" + i, QuadraticModel.random(4, 101, 90 + i).withSpec(wideAndNarrow));
        }
        RoundDriver driver = new RoundDriver(strategy(), clients, Tensors.zeros(wideAndNarrow),
                new UpdateSpec("bf16", 0, false));
        driver.step();
        long wide = driver.lastBytesUp();
        driver.step();
        long narrow = driver.lastBytesUp();
        assertTrue(narrow < wide - 3 * 2 * 98, "3 clients send 99 bf16 values fewer: " + wide + " -> " + narrow);
        assertTrue(wide < 3 * (2 * 101 + 100), "about the wide fragment's 100 values per client: " + wide);
    }

    /**
     * Four rounds against a double-precision recomputation of the rule: every client keeps its weights, merges the
     * fragment synchronised in the previous round with weight alpha, runs AdamW, and sends its fragment as it was
     * one step (tau) before the end; the server steps that fragment with Nesterov momentum.
     */
    @Test
    void roundsEqualTheDoublePrecisionRecomputation() {
        RoundDriver driver = new RoundDriver(strategy(), clients(), TestVectors.of(THREE_LAYERS, X0));
        driver.run(4);

        double[] x = X0.clone();
        double[] velocity = new double[x.length];
        Map<String, double[]> local = new HashMap<>();
        AdamWReference inner = AdamWReference.diloco(LR);
        for (int t = 1; t <= 4; t++) {
            int p = (t - 1) % 2;
            double[] sum = new double[x.length];
            double samples = 0;
            for (var c : clients().entrySet()) {
                double[] theta = local.get(c.getKey());
                if (theta == null) {
                    theta = x.clone();
                } else {
                    boolean[] merged = FRAGMENT[(t - 2) % 2];
                    for (int j = 0; j < x.length; j++) {
                        theta[j] = merged[j] ? ALPHA * theta[j] + (1 - ALPHA) * x[j] : theta[j];
                    }
                }
                double[][] run = inner.run(c.getValue(), theta, STEPS, OVERLAP);
                local.put(c.getKey(), run[0]);
                for (int j = 0; j < x.length; j++) {
                    sum[j] += FRAGMENT[p][j] ? c.getValue().numSamples() * (run[1][j] - x[j]) : 0;
                }
                samples += c.getValue().numSamples();
            }
            for (int j = 0; j < x.length; j++) {
                if (FRAGMENT[p][j]) {
                    velocity[j] = 0.9 * velocity[j] + sum[j] / samples;
                    x[j] += 0.7 * (sum[j] / samples + 0.9 * velocity[j]);
                }
            }
        }
        TestVectors.assertClose(x, driver.model().values(), 1e-5);
        TestVectors.assertClose(velocity, driver.serverState().require(FedAvgM.VELOCITY, THREE_LAYERS), 1e-5);
    }

    @Test
    void aClientAbsentForAWholeCycleMergesEveryFragmentOnce() {
        QuadraticModel client = clients().get("c0");
        float[] own = {1, 2, 3, 4, 5};
        State state = new State(Map.of(StreamingDiLoCoClient.LOCAL, new Tensors(THREE_LAYERS, own)),
                Map.of(StreamingDiLoCoClient.LAST_ROUND, 1.0));
        Tensors global = TestVectors.of(THREE_LAYERS, 0, 0, 0, 0, 0);
        Map<String, Double> params = new HashMap<>(Strategies.defaultTraining(StreamingDiLoCo.NAME).params());
        params.putAll(Map.of("fragments", 2.0, "mixing", 0.25, "overlapSteps", 0.0, "round", 6.0));
        // Learning rate 0: the weights after training are the merged weights the client started from.
        LocalResult r = new StreamingDiLoCoClient().train(client, global,
                new TrainingPlan(StreamingDiLoCo.NAME, "train", 0, 1, 10, 0, 3, params), Optional.empty(), state);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.25f},
                r.state().require(StreamingDiLoCoClient.LOCAL, THREE_LAYERS));
        assertEquals(6.0, r.state().scalar(StreamingDiLoCoClient.LAST_ROUND, 0));
        assertArrayEquals(new float[] {0, 0, 0.75f, 0, 0}, r.update().values(), "round 6 sends fragment 1");
        assertArrayEquals(own, state.require(StreamingDiLoCoClient.LOCAL, THREE_LAYERS), "the old state is kept");
    }

    @Test
    void everyParameterIsChecked() {
        TrainingConfig training = new TrainingConfig(0, 3, 8, 1e-3, Map.of());
        assertRejected("strategy.params.overlapSteps", () -> Strategies.create(StreamingDiLoCo.NAME,
                Map.of("overlapSteps", 3), training));
        assertRejected("strategy.params.overlapSteps", () -> Strategies.create(StreamingDiLoCo.NAME,
                Map.of("overlapSteps", 1), new TrainingConfig(1, 0, 8, 1e-3, Map.of())));
        assertRejected("strategy.params.mixing", () -> Strategies.create(StreamingDiLoCo.NAME,
                Map.of("mixing", 1.5), training));
        assertRejected("strategy.params.fragments", () -> Strategies.create(StreamingDiLoCo.NAME,
                Map.of("fragments", 0), training));
        assertRejected("training.params.mixing", () -> Strategies.create(StreamingDiLoCo.NAME, Map.of(),
                new TrainingConfig(0, 3, 8, 1e-3, Map.of("mixing", 0.2))));
        assertEquals(Map.of("fragments", 2L, "mixing", 0.5, "overlapSteps", 1L, "serverLearningRate", 0.7,
                "serverMomentum", 0.9, "weighting", "samples"), Strategies.configure(StreamingDiLoCo.NAME, Map.of(),
                Strategies.defaultTraining(StreamingDiLoCo.NAME)).effectiveParams());
    }

    static void assertRejected(String field, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(field), "names " + field + ": " + e.getMessage());
    }
}
