package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import dev.hansa.aggregation.config.Hyperparameters;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MultiKrumTest implements RobustRuleContract {

    @Override
    public WholeRoundAggregator rule(int f) {
        return new MultiKrum(f, OptionalInt.empty());
    }

    /** The plain mean of the n - f rows with the lowest scores. */
    @Override
    public double[] reference(RobustCases.Round round, int f) {
        double[][] x = round.exact();
        return RobustReference.plainMean(x, RobustReference.multiKrum(x, f, x.length - f));
    }

    @Override
    public int paperBound(int f) {
        return 2 * f + 3;
    }

    /** The points of KrumTest's hand case score 10, 5, 13, 52, 458: m = 2 keeps 1 and 0, m = 3 adds 3. */
    @Test
    void averagesTheMUpdatesWithTheLowestScores() {
        HeapBatch batch = RobustCases.heap(new float[] {0}, new float[] {1}, new float[] {3}, new float[] {7},
                new float[] {20});
        assertArrayEquals(new double[] {0.5}, new MultiKrum(1, OptionalInt.of(2)).aggregate(batch), 1e-15);
        assertArrayEquals(new double[] {4.0 / 3}, new MultiKrum(1, OptionalInt.of(3)).aggregate(batch), 1e-15);
        assertArrayEquals(new double[] {11.0 / 4}, new MultiKrum(1, OptionalInt.empty()).aggregate(batch), 1e-15,
                "m = n - f = 4 by default");
    }

    @Test
    void theMeanIsPlainWhateverTheUpdatesWeights() {
        HeapBatch weighted = new HeapBatch(List.of(new float[] {0}, new float[] {1}, new float[] {3}, new float[] {7},
                new float[] {20}), new double[] {1, 100, 1, 1, 1}, 1);
        assertArrayEquals(new double[] {0.5}, new MultiKrum(1, OptionalInt.of(2)).aggregate(weighted), 1e-15,
                "not (0 * 1 + 1 * 100) / 101");
    }

    @Test
    void withMOfOneIsKrum() {
        RobustCases.Round round = new RobustCases(5, 11, 2, 40, true).round();
        assertArrayEquals(new Krum(2).aggregate(round.batch()),
                new MultiKrum(2, OptionalInt.of(1)).aggregate(round.batch()), 1e-15);
    }

    @Test
    void anExplicitMIsRecordedAndBoundsN() {
        MultiKrum explicit = new MultiKrum(1, OptionalInt.of(9));
        assertEquals(Map.of("m", 9), explicit.params());
        assertEquals(9, explicit.minUpdates());
        assertEquals("n > 2f + 2 and n >= m = 9", explicit.requirement());
        assertEquals(Map.of(), new MultiKrum(1, OptionalInt.empty()).params(), "absent: n - f of each round");
        assertEquals(5, new MultiKrum(1, OptionalInt.of(2)).minUpdates());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> explicit.aggregate(new RobustCases(1, 8, 1, 3, false).round().batch()));
        assertTrue(e.getMessage().startsWith("robustness.aggregatorParams.m = 9 exceeds"), e.getMessage());
    }

    @Test
    void refusesAnMThatIsNotAPositiveCountNamingTheField() {
        for (Object bad : new Object[] {0, -3, 1.5, "n"}) {
            Hyperparameters params = new Hyperparameters("robustness.aggregatorParams", MultiKrum.NAME,
                    Map.of("m", bad));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Aggregators.aggregator(MultiKrum.NAME, params, 1), String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("robustness.aggregatorParams.m must be"), e.getMessage());
        }
    }
}
