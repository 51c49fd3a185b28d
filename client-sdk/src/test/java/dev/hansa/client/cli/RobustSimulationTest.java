package dev.hansa.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.attack.Adversary;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.SyntheticDataset;
import dev.hansa.client.simulation.RoundRecord;
import dev.hansa.client.simulation.SimulationRunner;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.compute.JavaBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A simulation from {@code simulate}'s flags with Byzantine clients: 8 clients on IID Synthetic data (the
 * command's data loading aside), 2 of them sign flippers, 5 rounds of FedAvg with equal local steps and an unweighted
 * mean, so that every honest update has the same size and the rules differ only in how they treat the attackers.
 */
class RobustSimulationTest {

    private static final List<SyntheticDataset.UserData> USERS = SyntheticDataset.generate(0, 0, 8, true, 3);
    private static final DenseNetwork NET = DenseNetwork.softmaxRegression(SyntheticDataset.FEATURES,
            SyntheticDataset.CLASSES);
    private static final Tensors INITIAL = NET.initialize(1);

    private record Run(Tensors model, List<RoundRecord> rounds) {
    }

    private static Run simulate(String... flags) {
        List<String> args = new ArrayList<>(List.of("--clients", "8", "--per-round", "8", "--rounds", "5", "--lr",
                "0.05", "--steps", "10", "--batch", "10", "--strategy-param", "weighting=uniform", "--seed", "1"));
        args.addAll(List.of(flags));
        Options o = SimulateCommand.options();
        assertTrue(o.parse(args.toArray(String[]::new)));
        FederationOptions f = FederationOptions.read(o);
        Map<String, Dataset> clients = SimulationRunner.numbered(
                USERS.stream().map(SyntheticDataset.UserData::train).toList());
        Adversary adversary = Adversary.fromMap(SimulateCommand.byzantineSection(o), List.copyOf(clients.keySet()),
                f.seed()).orElse(null);
        List<RoundRecord> rounds = new ArrayList<>();
        Tensors model = new SimulationRunner(NET, clients, SyntheticDataset.pooledTest(USERS), new JavaBackend(),
                f.rounds(1.0, 8, 8).protocol(), new SimulationRunner.Settings(f.rounds(), f.seed(), 5, 1), adversary)
                .run(INITIAL, rounds::add).model();
        return new Run(model, rounds);
    }

    /** How far the attack moved the final model from the clean run's, relative to how far the clean run moved. */
    private static double pull(Run clean, Run attacked) {
        return distance(attacked.model(), clean.model()) / distance(clean.model(), INITIAL);
    }

    private static double distance(Tensors a, Tensors b) {
        double sum = 0;
        for (int i = 0; i < a.values().length; i++) {
            double d = a.values()[i] - b.values()[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /**
     * Sign flippers send -mu, the negated mean of the 6 honest updates, so the mean of the 8 is (6 mu - 2 mu) / 8 =
     * mu / 2: the attacked run covers about half the clean run's way. The coordinate-wise median of 6 honest values
     * and 2 outliers moves by at most two order statistics within the honest spread.
     */
    @Test
    void twoSignFlippersPullTheMeanHalfWayBackWhileTheMedianResists() {
        String[] attack = {"--byzantine", "2", "--attack", "sign-flipping"};
        Run mean = simulate("--aggregator", "mean");
        Run meanAttacked = simulate(concat(new String[] {"--aggregator", "mean"}, attack));
        Run median = simulate("--aggregator", "median", "--f", "2");
        Run medianAttacked = simulate(concat(new String[] {"--aggregator", "median", "--f", "2"}, attack));

        double meanPull = pull(mean, meanAttacked), medianPull = pull(median, medianAttacked);
        assertTrue(meanPull > 0.4 && meanPull < 0.6, "the mean is pulled half way: " + meanPull);
        assertTrue(medianPull < 0.25, "the median resists: " + medianPull);
        double meanLoss = accuracy(mean) - accuracy(meanAttacked);
        double medianLoss = accuracy(median) - accuracy(medianAttacked);
        assertTrue(meanLoss > 0.08, "the mean loses test accuracy: " + meanLoss);
        assertTrue(medianLoss < meanLoss / 3, "the median loses far less: " + medianLoss + " against " + meanLoss);

        assertEquals(List.of(2, 2, 2, 2, 2), meanAttacked.rounds().stream().map(RoundRecord::byzantine).toList());
        assertArrayEquals(meanAttacked.model().values(),
                simulate(concat(new String[] {"--aggregator", "mean"}, attack)).model().values(),
                "the same seed, the same run");
    }

    private static double accuracy(Run run) {
        return run.rounds().getLast().testAccuracy();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
