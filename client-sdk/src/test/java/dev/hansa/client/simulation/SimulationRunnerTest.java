package dev.hansa.client.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.model.ModelWeights;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Strategies;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.StrategyState;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.SyntheticDataset;
import dev.hansa.client.model.DenseNetwork;
import dev.hansa.compute.JavaBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulationRunnerTest {

    private final JavaBackend backend = new JavaBackend();

    private static Strategy fedAvg(double lr) {
        return Strategies.create("fedavg", Map.of(), TrainingConfig.fromMap(
                Map.of("learningRate", lr, "batchSize", 10, "localEpochs", 1), Strategies.defaultTraining("fedavg")));
    }

    private List<RoundRecord> simulate(long seed, int rounds, List<SyntheticDataset.UserData> users) {
        DenseNetwork net = DenseNetwork.softmaxRegression(SyntheticDataset.FEATURES, SyntheticDataset.CLASSES);
        List<RoundRecord> records = new ArrayList<>();
        new SimulationRunner(net, users.stream().map(SyntheticDataset.UserData::train).toList(),
                SyntheticDataset.pooledTest(users), backend, fedAvg(0.05),
                new SimulationRunner.Settings(rounds, 0.5, 1, 10, seed, 1)).run(net.initialize(seed), records::add);
        return records;
    }

    @Test
    void accuracyImprovesAndRunsAreReproducible() {
        var users = SyntheticDataset.generate(0, 0, 10, true, 3);
        List<RoundRecord> a = simulate(7, 15, users), b = simulate(7, 15, users);
        assertTrue(a.getLast().testAccuracy() > a.getFirst().testAccuracy() + 0.1,
                a.getFirst().testAccuracy() + " -> " + a.getLast().testAccuracy());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).testAccuracy(), b.get(i).testAccuracy());
            assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss());
        }
        assertEquals(5, a.getFirst().participants());
        assertTrue(a.getFirst().bytesUp() > 5L * 4 * 610 && a.getFirst().bytesDown() > 0);
    }

    @Test
    void oneRoundEqualsAHandRolledFedAvgOfTwoClients() {
        var users = SyntheticDataset.generate(0.5, 0.5, 2, false, 9);
        DenseNetwork net = DenseNetwork.softmaxRegression(SyntheticDataset.FEATURES, SyntheticDataset.CLASSES);
        ModelWeights initial = net.initialize(4);
        List<Dataset> data = users.stream().map(SyntheticDataset.UserData::train).toList();
        ModelWeights simulated = new SimulationRunner(net, data, data.getFirst(), backend, fedAvg(0.1),
                new SimulationRunner.Settings(1, 1.0, 2, 2, 11, 1)).run(initial, r -> { });

        // By hand: each client trains from the initial model with the plan the strategy gives it, then the
        // sample-weighted mean of the deltas is added (server learning rate 1).
        Strategy s = fedAvg(0.1);
        var context = new dev.hansa.aggregation.strategy.RoundContext(1, 2, 2,
                dev.hansa.aggregation.strategy.RoundContext.seedFor(11, 1, 1));
        var plan = s.planRound(context, List.of("client-00000", "client-00001"), initial, s.initialState(initial));
        double[] sum = new double[initial.values().length];
        long samples = 0;
        for (int c = 0; c < 2; c++) {
            TrainingPlan p = plan.plans().get(String.format("client-%05d", c));
            LocalResult r = Strategies.localProcedure("fedavg").train(net.bind(data.get(c), backend), initial, p,
                    Optional.empty(), StrategyState.EMPTY);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (double) r.numSamples() * r.upload().values()[i];
            }
            samples += r.numSamples();
        }
        float[] expected = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            expected[i] = (float) (initial.values()[i] + sum[i] / samples);
        }
        assertArrayEquals(expected, simulated.values(), 1e-6f);
    }
}
