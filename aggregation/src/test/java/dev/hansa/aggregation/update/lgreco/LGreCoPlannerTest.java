package dev.hansa.aggregation.update.lgreco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dynamic program against exhaustive search over every combination of options. */
class LGreCoPlannerTest {

    /** ê as COMPRESSION_MORE.md §1.3 states it, written out again. */
    private static long bucketsOf(double e, double budget) {
        double u = budget / LGreCoPlanner.BUCKETS;
        return Math.max(1, Math.min(LGreCoPlanner.BUCKETS, (long) Math.ceil(Math.min(e, budget + 1) / u)));
    }

    /** The least total size over all combinations whose ê sum to less than B; -1 when none does. */
    private static long bruteForce(long[][] sizes, double[][] errors, double budget) {
        int layers = sizes.length;
        int[] pick = new int[layers];
        long best = -1;
        while (true) {
            long size = 0;
            long buckets = 0;
            for (int l = 0; l < layers; l++) {
                size += sizes[l][pick[l]];
                buckets += bucketsOf(errors[l][pick[l]], budget);
            }
            if (buckets < LGreCoPlanner.BUCKETS && (best < 0 || size < best)) {
                best = size;
            }
            int l = 0;
            while (l < layers && ++pick[l] == sizes[l].length) {
                pick[l++] = 0;
            }
            if (l == layers) {
                return best;
            }
        }
    }

    @Test
    void findsTheSmallestPlanWithinTheBudgetLikeExhaustiveSearch() {
        Random r = new Random(12);
        int feasible = 0;
        for (int trial = 0; trial < 300; trial++) {
            int layers = 1 + r.nextInt(4);
            int options = 1 + r.nextInt(4);
            long[][] sizes = new long[layers][options];
            double[][] errors = new double[layers][options];
            for (int l = 0; l < layers; l++) {
                for (int v = 0; v < options; v++) {
                    // Bigger options err less, as a compressor's do, with noise so that it is not always so.
                    sizes[l][v] = 1 + (v + 1) * (1 + r.nextInt(50));
                    errors[l][v] = r.nextDouble() * 10 / (v + 1);
                }
            }
            int uniform = r.nextInt(options);
            double budget = 0;
            for (double[] layer : errors) {
                budget += layer[uniform];
            }
            budget *= 0.5 + r.nextDouble();
            long want = bruteForce(sizes, errors, budget);
            Optional<int[]> plan = LGreCoPlanner.plan(sizes, errors, budget);
            assertEquals(want >= 0, plan.isPresent(), "trial " + trial);
            if (plan.isPresent()) {
                feasible++;
                long size = 0;
                double error = 0;
                for (int l = 0; l < layers; l++) {
                    size += sizes[l][plan.get()[l]];
                    error += errors[l][plan.get()[l]];
                }
                assertEquals(want, size, "trial " + trial);
                assertTrue(error <= budget, "the plan's summed error " + error + " exceeds the budget " + budget);
            }
        }
        assertTrue(feasible > 100, "most trials have a plan: " + feasible);
    }

    /**
     * The same against exhaustive search on the knobs' own size models and errors: 3 tensors of different shapes
     * and spreads, 5 options each, budget the uniform setting's summed error, 20 random updates per knob.
     */
    @Test
    void findsTheSmallestPlanOnEveryKnobsSizeModelLikeExhaustiveSearch() {
        ModelSpec spec = ModelSpec.of(new TensorSpec("w1", new int[] {12, 20}), new TensorSpec("b1", new int[] {12}),
                new TensorSpec("w2", new int[] {4, 30}));
        LGreCoSettings settings = new LGreCoSettings(1, 5);
        Random r = new Random(21);
        int planned = 0;
        for (LGreCoKnob knob : List.of(new TopKKnob(0.1, settings), new QsgdKnob(7, 16, settings),
                new SparseLoCoKnob(8, 16, settings))) {
            long[][] sizes = knob.sizes(spec);
            for (int trial = 0; trial < 20; trial++) {
                float[] v = new float[spec.parameterCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * Math.exp(3 * r.nextGaussian() * (i % 3)));
                }
                double[][] errors = knob.errors(new Tensors(spec, v));
                double budget = errors[0][2] + errors[1][2] + errors[2][2];
                // The uniform setting itself may miss the budget by the rounding of its buckets, so a plan may not
                // exist; when it does, it is the least size, as exhaustive search finds it.
                Optional<int[]> found = LGreCoPlanner.plan(sizes, errors, budget);
                long want = bruteForce(sizes, errors, budget);
                assertEquals(want >= 0, found.isPresent(), knob + " trial " + trial);
                if (found.isEmpty()) {
                    continue;
                }
                int[] plan = found.get();
                long size = 0;
                for (int l = 0; l < 3; l++) {
                    size += sizes[l][plan[l]];
                }
                assertEquals(want, size, knob + " trial " + trial);
                planned++;
            }
        }
        assertTrue(planned > 40, "most trials have a plan: " + planned);
    }

    @Test
    void tradesErrorBetweenLayersByHand() {
        // Layer 0: (size 10, error 9) or (100, 1); layer 1: (10, 9) or (30, 1). Budget 10, u = 0.001: errors 9 and 1
        // are 9000 and 1000 buckets. Small + small (18000) and small + large (10000) are not below B = 10000, so
        // only large + large fits (2000, size 130). Budget 10.5: 8572 + 953 = 9525 < B, so small on layer 0 and
        // large on layer 1 fit at size 40, the least.
        long[][] sizes = {{10, 100}, {10, 30}};
        double[][] errors = {{9, 1}, {9, 1}};
        assertArrayEquals(new int[] {1, 1}, LGreCoPlanner.plan(sizes, errors, 10).orElseThrow());
        assertArrayEquals(new int[] {0, 1}, LGreCoPlanner.plan(sizes, errors, 10.5).orElseThrow());
    }

    @Test
    void keepsNoPlanWhenNothingFitsOrThereIsNoBudget() {
        assertTrue(LGreCoPlanner.plan(new long[][] {{1}}, new double[][] {{5}}, 4).isEmpty(), "over budget");
        assertTrue(LGreCoPlanner.plan(new long[][] {{1}}, new double[][] {{0}}, 0).isEmpty(), "zero budget");
    }

    @Test
    void refusesNonFiniteErrorsAndMismatchedShapes() {
        assertThrows(IllegalArgumentException.class,
                () -> LGreCoPlanner.plan(new long[][] {{1}}, new double[][] {{Double.NaN}}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> LGreCoPlanner.plan(new long[][] {{1, 2}}, new double[][] {{1}}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> LGreCoPlanner.plan(new long[][] {{1}}, new double[][] {{1}}, Double.POSITIVE_INFINITY));
    }
}
