package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.MixedBatch;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

/**
 * Random rounds for the robust rules' tests: honest rows around a common point, a few far off, at sizes that cross
 * the column blocks' boundaries, given as a {@link HeapBatch} or as a {@link MixedBatch} whose rows are convex
 * combinations of three rows of a larger base (what nearest-neighbour mixing or bucketing hands an aggregator).
 *
 * @param seed  the draw
 * @param n     rows the rule sees
 * @param f     the rule's f
 * @param d     values per row
 * @param mixed whether the rule sees a {@link MixedBatch}
 */
record RobustCases(long seed, int n, int f, int d, boolean mixed) {

    private static final int[][] SIZES = {{7, 1}, {8, 1}, {10, 0}, {11, 2}, {15, 3}, {16, 2}, {23, 5}};
    private static final int[] DIMENSIONS = {13, ColumnSorter.COLUMNS_PER_READ + 7, 2500};

    /** Every seed, size and kind of batch, for a rule needing {@code n >= minUpdates(f)}. */
    static Stream<RobustCases> all(IntUnaryOperator minUpdates) {
        List<RobustCases> cases = new ArrayList<>();
        for (int seed = 1; seed <= DIMENSIONS.length; seed++) {
            for (int[] size : SIZES) {
                if (size[0] >= minUpdates.applyAsInt(size[1])) {
                    cases.add(new RobustCases(seed, size[0], size[1], DIMENSIONS[seed - 1], false));
                    cases.add(new RobustCases(seed, size[0], size[1], DIMENSIONS[seed - 1], true));
                }
            }
        }
        return cases.stream();
    }

    /** The batch and its rows: as {@code combine} forms them (double), and as {@code readColumns} returns them. */
    record Round(UpdateBatch batch, double[][] exact, double[][] asRead) {
    }

    Round round() {
        Random r = new Random(seed * 1000 + n * 10L + f);
        int baseRows = mixed ? n + 2 : n;
        List<float[]> base = new ArrayList<>();
        double[] weights = new double[baseRows];
        for (int i = 0; i < baseRows; i++) {
            boolean outlier = i % 5 == 3;
            float[] row = new float[d];
            for (int j = 0; j < d; j++) {
                row[j] = (float) (0.5 + r.nextGaussian() + (outlier ? 8 + 10 * r.nextGaussian() : 0));
            }
            base.add(row);
            weights[i] = 1 + r.nextInt(100);
        }
        HeapBatch heap = new HeapBatch(base, weights, d);
        if (!mixed) {
            double[][] rows = base.stream().map(RobustCases::widen).toArray(double[][]::new);
            return new Round(heap, rows, rows);
        }
        double[][] mix = new double[n][baseRows];
        double[][] exact = new double[n][d];
        double[][] asRead = new double[n][d];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int k = i; k < i + 3; k++) {
                mix[i][k] = 0.1 + r.nextDouble();
                total += mix[i][k];
            }
            for (int k = i; k < i + 3; k++) {
                mix[i][k] /= total;
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < baseRows; k++) {
                    exact[i][j] += mix[i][k] * base.get(k)[j];
                }
                asRead[i][j] = (float) exact[i][j];
            }
        }
        return new Round(new MixedBatch(heap, mix, new double[n]), exact, asRead);
    }

    static double[] widen(float[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = row[j];
        }
        return out;
    }

    /** A batch of the given rows (d = their length), all of weight 1. */
    static HeapBatch heap(float[]... rows) {
        double[] weights = new double[rows.length];
        Arrays.fill(weights, 1);
        return new HeapBatch(List.of(rows), weights, rows[0].length);
    }
}
