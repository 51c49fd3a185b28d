package dev.hansa.client.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.architecture.ConvArchitecture;
import dev.hansa.aggregation.architecture.DenseArchitecture;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.data.FashionMnist;
import dev.hansa.client.data.SyntheticDataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ByzantineBenchmark} on Synthetic(0, 0) data (the mechanics, not Fashion-MNIST's numbers): each run is
 * seeded, records validation and test accuracy at every evaluation, and the attack and the rule both matter.
 */
class ByzantineBenchmarkTest {

    private static final Dataset DATA = SyntheticDataset.pooledTest(SyntheticDataset.generate(0, 0, 30, true, 5));
    private static final ByzantineBenchmark BENCHMARK = new ByzantineBenchmark(new FashionMnist.Splits(DATA, DATA),
            new ByzantineBenchmark.Protocol(6, 30, 10, 0.1, 0.9, 1e-4, 10, "mlp", List.of(16), 100, 1));

    private static ByzantineBenchmark.Outcome run(String aggregator, String attack, long seed) {
        return BENCHMARK.run(new ByzantineBenchmark.Run(aggregator, 2, "iid", attack, seed, 0.5));
    }

    @Test
    void aRunIsSeededAndEvaluatesEveryEvalEverySteps() {
        ByzantineBenchmark.Outcome first = run("median", "optimal-alie", 3);
        ByzantineBenchmark.Outcome again = run("median", "optimal-alie", 3);
        assertEquals(List.of(10, 20, 30), first.curve().stream().map(ByzantineBenchmark.Point::step).toList());
        assertEquals(first.curve(), again.curve());
        assertNotEquals(first.curve(), run("median", "optimal-alie", 4).curve());
        for (ByzantineBenchmark.Point p : first.curve()) {
            assertTrue(p.validationAccuracy() >= 0 && p.validationAccuracy() <= 1, p.toString());
            assertTrue(p.testAccuracy() >= 0 && p.testAccuracy() <= 1, p.toString());
        }
        assertEquals(first.curve().stream().mapToDouble(ByzantineBenchmark.Point::testAccuracy).max().orElseThrow(),
                first.bestTest());
    }

    @Test
    void theRuleAndTheAttackBothChangeTheRun() {
        ByzantineBenchmark.Outcome mean = run("mean", "sign-flipping", 3);
        assertNotEquals(mean.curve(), run("median", "sign-flipping", 3).curve());
        assertNotEquals(mean.curve(), run("mean", "optimal-ipm", 3).curve());
    }

    @Test
    void theKeyNamesEveryFieldOfTheRun() {
        assertEquals("geomed,3,dirichlet:0.1,optimal-ipm,2,0.2",
                new ByzantineBenchmark.Run("geomed", 3, "dirichlet:0.1", "optimal-ipm", 2, 0.2).key());
    }

    @Test
    void theProtocolsModelIsTheMlpOrByzflsCnnWithItsHiddenLayers() {
        ByzantineBenchmark.Protocol cnn = new ByzantineBenchmark.Protocol(10, 800, 100, 0.1, 0.9, 1e-4, 25, "cnn",
                List.of(500), 6000, 1);
        assertEquals(ConvArchitecture.mnist(new int[] {500}, 10).spec(), cnn.architecture(784, 10).spec());
        ByzantineBenchmark.Protocol mlp = new ByzantineBenchmark.Protocol(10, 800, 100, 0.1, 0.9, 1e-4, 25, "mlp",
                List.of(200), 6000, 1);
        assertEquals(DenseArchitecture.mlp(784, new int[] {200}, 10).spec(), mlp.architecture(784, 10).spec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ByzantineBenchmark.Protocol(
                10, 800, 100, 0.1, 0.9, 1e-4, 25, "resnet", List.of(200), 6000, 1));
        assertEquals("--model must be mlp or cnn: resnet", e.getMessage());
    }
}
