package dev.hansa.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.privacy.LocalBudgetExhaustedException;
import dev.hansa.client.privacy.LocalDpConfig;
import dev.hansa.client.privacy.LocalDpSgd;
import dev.hansa.client.training.DenseNetwork;
import dev.hansa.client.training.PerExampleClipping;
import dev.hansa.compute.JavaBackend;
import dev.hansa.privacy.accounting.RdpAccountant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The built-in trainer with a {@code privacy.local} section: DP-SGD, its account across rounds, its budget. */
class BuiltInTrainerLocalDpTest {

    private static final Dataset DATA = new Dataset(new float[] {1, 0, 0, 1, 1, 1, 0, 0, -1, 1, 1, -1, 0.5f, 0.5f,
            -1, -1, 0.2f, 0.8f, 0.9f, 0.1f}, new int[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, 2, 2);

    @Test
    void trainsByLocalDpSgdAndAccountsEveryRoundUntilItsBudget() {
        DenseNetwork net = DenseNetwork.softmaxRegression(2, 2);
        // n = 10, batch 2: q = 0.2; 5 steps a round.
        LocalDpConfig config = new LocalDpConfig(1.0, 1.0, 0.01, 2.0, PerExampleClipping.GHOST, true);
        BuiltInTrainer trainer = new BuiltInTrainer(net, DATA, null, new JavaBackend(), config);
        TrainingPlan plan = new TrainingPlan("fedavg", "train", 0, 5, 2, 0.1, 7, Map.of());
        RdpAccountant expected = RdpAccountant.empty();
        int rounds = 0;
        while (expected.compose(0.2, 1.0, 5).epsilon(0.01) <= 2.0) {
            expected = expected.compose(0.2, 1.0, 5);
            var result = trainer.train(net.initialize(1), plan, Optional.empty(), State.EMPTY);
            assertEquals(expected.epsilon(0.01), result.metrics().get(LocalDpSgd.EPSILON_METRIC), 1e-12);
            rounds++;
        }
        assertTrue(rounds >= 1, "the budget admits at least one round");
        assertThrows(LocalBudgetExhaustedException.class,
                () -> trainer.train(net.initialize(1), plan, Optional.empty(), State.EMPTY));
    }

    @Test
    void refusesADeltaTooLargeForItsData() {
        LocalDpConfig config = new LocalDpConfig(1.0, 1.0, 0.1, 2.0, PerExampleClipping.GHOST, true);
        var e = assertThrows(IllegalArgumentException.class, () -> new BuiltInTrainer(
                DenseNetwork.softmaxRegression(2, 2), DATA, null, new JavaBackend(), config));
        assertTrue(e.getMessage().startsWith("privacy.local.delta"), e.getMessage());
    }
}
