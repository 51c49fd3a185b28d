package dev.hansa.aggregation.strategy.diloco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.StateCodec;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.fedopt.FedAvgM;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.testing.QuadraticModel;
import dev.hansa.aggregation.testing.RoundDriver;
import dev.hansa.aggregation.testing.TestVectors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiLoCoTest {

    static final int STEPS = 4;
    static final double LR = 0.05;

    static Map<String, QuadraticModel> clients() {
        Map<String, QuadraticModel> clients = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            clients.put("c" + i, QuadraticModel.random(5 + 2 * i, 4, 40 + i));
        }
        return clients;
    }

    /** Full batches, so that the reference needs no minibatch order. */
    static TrainingConfig training() {
        return new TrainingConfig(0, STEPS, 100, LR, Strategies.defaultTraining(DiLoCo.NAME).params());
    }

    static final double[] X0 = {0.5, -0.5, 1.0, 0.2};

    @Test
    void roundsEqualTheDoublePrecisionInnerAdamWAndOuterNesterov() {
        RoundDriver driver = new RoundDriver(Strategies.create(DiLoCo.NAME, Map.of(), training()), clients(),
                TestVectors.of(clients().get("c0").spec(), X0));
        driver.run(3);

        double[] x = X0.clone();
        double[] velocity = new double[x.length];
        AdamWReference inner = AdamWReference.diloco(LR);
        for (int round = 0; round < 3; round++) {
            double[] mean = new double[x.length];
            double samples = 0;
            for (QuadraticModel client : clients().values()) {
                double[] local = inner.run(client, x, STEPS);
                for (int j = 0; j < x.length; j++) {
                    mean[j] += client.numSamples() * (local[j] - x[j]);
                }
                samples += client.numSamples();
            }
            for (int j = 0; j < x.length; j++) {
                double delta = mean[j] / samples;
                velocity[j] = 0.9 * velocity[j] + delta;
                x[j] += 0.7 * (delta + 0.9 * velocity[j]);
            }
        }
        TestVectors.assertClose(x, driver.model().values(), 1e-5);
        TestVectors.assertClose(velocity, driver.serverState().require(FedAvgM.VELOCITY, driver.model().spec()),
                1e-5);
    }

    @Test
    void theOuterStateSurvivesARestart() {
        RoundDriver uninterrupted = new RoundDriver(Strategies.create(DiLoCo.NAME, Map.of(), training()), clients(),
                TestVectors.of(clients().get("c0").spec(), X0));
        RoundDriver restarted = new RoundDriver(Strategies.create(DiLoCo.NAME, Map.of(), training()), clients(),
                TestVectors.of(clients().get("c0").spec(), X0));
        for (int t = 0; t < 3; t++) {
            uninterrupted.step();
            restarted.step();
            restarted.reload(s -> StateCodec.decode(StateCodec.encode(s)));
        }
        assertArrayEquals(uninterrupted.model().values(), restarted.model().values());
    }

    @Test
    void nesterovFedAvgMWithLocalSgdIsDiLoCoWithAnSgdInnerOptimizer() {
        Strategy sgd = Strategies.create("fedavgm", Map.of("nesterov", true, "serverLearningRate", 0.7),
                new TrainingConfig(0, 2, 100, 0.1, Map.of()));
        RoundDriver driver = new RoundDriver(sgd, clients(), TestVectors.of(clients().get("c0").spec(), X0));
        driver.run(2);
        double[] x = X0.clone();
        double[] velocity = new double[x.length];
        for (int round = 0; round < 2; round++) {
            double[] mean = new double[x.length];
            double samples = 0;
            for (QuadraticModel client : clients().values()) {
                double[] local = x.clone();
                for (int s = 0; s < 2; s++) {
                    double[] g = client.gradient(local, client.allRows());
                    for (int j = 0; j < x.length; j++) {
                        local[j] -= 0.1 * g[j];
                    }
                }
                for (int j = 0; j < x.length; j++) {
                    mean[j] += client.numSamples() * (local[j] - x[j]);
                }
                samples += client.numSamples();
            }
            for (int j = 0; j < x.length; j++) {
                velocity[j] = 0.9 * velocity[j] + mean[j] / samples;
                x[j] += 0.7 * (mean[j] / samples + 0.9 * velocity[j]);
            }
        }
        TestVectors.assertClose(x, driver.model().values(), 1e-5);
    }

    @Test
    void defaultsAreThePapersAndEveryParameterIsChecked() {
        Strategies.Configured configured = Strategies.configure(DiLoCo.NAME, Map.of(),
                Strategies.defaultTraining(DiLoCo.NAME));
        assertEquals(Map.of("serverLearningRate", 0.7, "serverMomentum", 0.9, "weighting", "samples"),
                configured.effectiveParams());
        TrainingConfig defaults = Strategies.defaultTraining(DiLoCo.NAME);
        assertEquals(4e-4, defaults.learningRate());
        assertEquals(Map.of("weightDecay", 0.1, "gradientClipNorm", 1.0, "beta1", 0.9, "beta2", 0.95),
                defaults.params());
        assertRejected("strategy.params.serverMomentum",
                () -> Strategies.create(DiLoCo.NAME, Map.of("serverMomentum", 1.0)));
        assertRejected("strategy.params: unknown field(s) [nesterov]",
                () -> Strategies.create(DiLoCo.NAME, Map.of("nesterov", false)));
        assertRejected("training.params: unknown field(s) [momentum]", () -> Strategies.create(DiLoCo.NAME, Map.of(),
                new TrainingConfig(0, 5, 8, 1e-3, Map.of("momentum", 0.9))));
        assertRejected("strategy.params.nesterov",
                () -> Strategies.create("fedavgm", Map.of("nesterov", 1.0)));
    }

    static void assertRejected(String field, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(field), "names " + field + ": " + e.getMessage());
    }
}
