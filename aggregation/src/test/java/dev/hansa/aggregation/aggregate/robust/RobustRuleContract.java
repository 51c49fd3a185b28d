package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every robust rule's test checks, whatever the rule: its output on random rounds (several seeds, sizes and f,
 * heap and mixed batches) against the plain double-precision recomputation in {@link RobustReference}, and the
 * bound it declares.
 */
interface RobustRuleContract {

    /** The rule with this f (and its other parameters at their defaults). */
    WholeRoundAggregator rule(int f);

    /** The rule recomputed on {@code round}'s rows. */
    double[] reference(RobustCases.Round round, int f);

    /** {@code minUpdates()} as the rule's paper bounds n for this f. */
    int paperBound(int f);

    @TestFactory
    default Stream<DynamicTest> agreesWithADoublePrecisionRecomputation() {
        return RobustCases.all(this::paperBound).map(c -> dynamicTest(c.toString(), () -> {
            RobustCases.Round round = c.round();
            double[] expected = reference(round, c.f());
            assertArrayEquals(expected, rule(c.f()).aggregate(round.batch()), 1e-9);
        }));
    }

    @Test
    default void needsTheUpdatesItsPaperBoundsNBy() {
        for (int f : List.of(0, 1, 2, 7)) {
            assertEquals(paperBound(f), rule(f).minUpdates(), "f = " + f);
        }
    }

    @Test
    default void aRoundOfTheFewestUpdatesItNeedsAggregates() {
        for (int f : List.of(0, 1, 2)) {
            RobustCases c = new RobustCases(f, paperBound(f), f, 5, false);
            RobustCases.Round round = c.round();
            assertArrayEquals(reference(round, f), rule(f).aggregate(round.batch()), 1e-9, c.toString());
        }
    }
}
