package dev.hansa.client.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.round.RoundProtocol;
import dev.hansa.aggregation.sampling.UniformSampler;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.TrainingConfig;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.UpdateMetadata;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.SyntheticDataset;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.compute.JavaBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulationRunnerTest {

    private final JavaBackend backend = new JavaBackend();

    private static Strategy fedAvg(double lr) {
        return Strategies.create("fedavg", Map.of(), TrainingConfig.fromMap(
                Map.of("learningRate", lr, "batchSize", 10, "localEpochs", 1), Strategies.defaultTraining("fedavg")));
    }

    private static RoundProtocol protocol(Strategy strategy, double fraction, int minClients, int maxClients) {
        return new RoundProtocol(strategy, new UniformSampler(fraction, minClients, maxClients), UpdateSpec.DENSE,
                AggregationPipeline.Settings.DEFAULT);
    }

    private List<RoundRecord> simulate(long seed, int rounds, List<SyntheticDataset.UserData> users) {
        DenseNetwork net = DenseNetwork.softmaxRegression(SyntheticDataset.FEATURES, SyntheticDataset.CLASSES);
        List<RoundRecord> records = new ArrayList<>();
        new SimulationRunner(net, SimulationRunner.numbered(users.stream().map(SyntheticDataset.UserData::train).toList()),
                SyntheticDataset.pooledTest(users), backend, protocol(fedAvg(0.05), 0.5, 1, 10),
                new SimulationRunner.Settings(rounds, seed, 1, 1)).run(net.initialize(seed), records::add);
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
        Tensors initial = net.initialize(4);
        List<Dataset> data = users.stream().map(SyntheticDataset.UserData::train).toList();
        List<RoundRecord> records = new ArrayList<>();
        Tensors simulated = new SimulationRunner(net, SimulationRunner.numbered(data), data.getFirst(), backend,
                protocol(fedAvg(0.1), 1.0, 2, 2), new SimulationRunner.Settings(1, 11, 1, 1)).run(initial, records::add).model();

        // By hand: each client trains from the initial model with the plan the strategy gives it, then the
        // sample-weighted mean of the deltas is added (server learning rate 1).
        Strategy s = fedAvg(0.1);
        var context = new dev.hansa.aggregation.strategy.RoundContext(1, 2, 2,
                Seeds.forRound(11, 1, 1));
        var plan = s.planRound(context, List.of("client-00000", "client-00001"), initial, s.initialState(initial));
        double[] sum = new double[initial.values().length];
        long samples = 0;
        long uploadBytes = 0;
        for (int c = 0; c < 2; c++) {
            TrainingPlan p = plan.plans().get(String.format("client-%05d", c));
            LocalResult r = Strategies.clientOptimizer("fedavg").train(net.bind(data.get(c), backend), initial, p,
                    Optional.empty(), State.EMPTY);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (double) r.numSamples() * r.update().values()[i];
            }
            samples += r.numSamples();
            // The body HansaClient sends: the delta with num_samples and the metrics as metadata.
            uploadBytes += Safetensors.write(r.update(),
                    new UpdateMetadata(r.numSamples(), r.metrics(), Map.of()).toMap()).length;
        }
        float[] expected = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            expected[i] = (float) (initial.values()[i] + sum[i] / samples);
        }
        assertArrayEquals(expected, simulated.values(), 1e-6f);
        assertEquals(uploadBytes, records.getFirst().bytesUp());
        assertEquals(2L * Safetensors.write(initial, Map.of("format", "pt")).length, records.getFirst().bytesDown());
    }

    /** A round's outcome without its wall time, which is the one thing allowed to differ between runs. */
    private record Outcome(int round, int participants, double testAccuracy, double testLoss, double trainLoss,
                           long bytesUp, long bytesDown) {
        static Outcome of(RoundRecord r) {
            return new Outcome(r.round(), r.participants(), r.testAccuracy(), r.testLoss(), r.trainLoss(), r.bytesUp(),
                    r.bytesDown());
        }
    }

    private record Run(SimulationRunner.Result result, List<Outcome> rounds) {
    }

    private Run simulateWith(String strategy, Map<String, Object> params, int threads) {
        var users = SyntheticDataset.generate(1, 1, 8, false, 21);
        DenseNetwork net = DenseNetwork.mlp(SyntheticDataset.FEATURES, new int[] {8}, SyntheticDataset.CLASSES);
        Strategy s = Strategies.create(strategy, params, TrainingConfig.fromMap(
                Map.of("learningRate", 0.02, "batchSize", 8, "localSteps", 3), Strategies.defaultTraining(strategy)));
        List<Outcome> rounds = new ArrayList<>();
        SimulationRunner.Result result = new SimulationRunner(net,
                SimulationRunner.numbered(users.stream().map(SyntheticDataset.UserData::train).toList()),
                SyntheticDataset.pooledTest(users), backend, protocol(s, 0.5, 1, 8), new SimulationRunner.Settings(5, 3, 2, threads))
                .run(net.initialize(5), r -> rounds.add(Outcome.of(r)));
        return new Run(result, rounds);
    }

    @ParameterizedTest
    @CsvSource({"fedavg,", "fedadam,", "fedspeed,", "fedamd,0.5"})
    void parallelTrainingGivesBitIdenticalResultsForAnyNumberOfThreads(String strategy, Double anchorProbability) {
        Map<String, Object> params = anchorProbability == null ? Map.of() : Map.of("anchorProbability", anchorProbability);
        Run serial = simulateWith(strategy, params, 1);
        Run parallel = simulateWith(strategy, params, 3);
        assertArrayEquals(serial.result().model().values(), parallel.result().model().values());
        assertEquals(serial.rounds(), parallel.rounds());
        assertStatesEqual(serial.result().serverState(), parallel.result().serverState());
        assertEquals(serial.result().clientStates().keySet(), parallel.result().clientStates().keySet());
        serial.result().clientStates().forEach((id, st) -> assertStatesEqual(st, parallel.result().clientStates().get(id)));
        assertTrue(Double.isNaN(serial.rounds().getFirst().testAccuracy()), "round 1 is not evaluated (every 2)");
        assertTrue(serial.rounds().get(1).testAccuracy() > 0);
    }

    @Test
    void bytesAreThoseOfTheSafetensorsFilesTheProtocolMoves() {
        var users = SyntheticDataset.generate(0.5, 0.5, 2, false, 9);
        DenseNetwork net = DenseNetwork.softmaxRegression(SyntheticDataset.FEATURES, SyntheticDataset.CLASSES);
        List<Dataset> data = users.stream().map(SyntheticDataset.UserData::train).toList();
        Tensors initial = net.initialize(4);
        // FedAMD: round 1 is all anchors (nothing reported yet, no broadcast); round 2 has miners and the bullseye.
        Strategy s = Strategies.create("fedamd", Map.of("anchorProbability", 0.01), Strategies.defaultTraining("fedamd"));
        List<RoundRecord> records = new ArrayList<>();
        new SimulationRunner(net, SimulationRunner.numbered(data), data.getFirst(), backend, protocol(s, 1.0, 2, 2),
                new SimulationRunner.Settings(2, 11, 1, 1)).run(initial, records::add);
        long model = Safetensors.write(initial, Map.of("format", "pt")).length;
        long broadcast = Safetensors.write(initial, Map.of()).length;
        assertEquals(2 * model, records.get(0).bytesDown());
        assertEquals(2 * (model + broadcast), records.get(1).bytesDown());
    }

    private static void assertStatesEqual(State expected, State actual) {
        assertEquals(expected.scalars(), actual.scalars());
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        expected.tensors().forEach((k, w) -> assertArrayEquals(w.values(), actual.tensors().get(k).values(), k));
    }
}
