package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.MixedBatch;
import dev.hansa.aggregation.aggregate.PreAggregator;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@value #NAME}, nearest-neighbour mixing (Allouah, Farhadkhani, Guerraoui, Gupta, Pinot and Stephan, "Fixing by
 * Mixing: A Recipe for Optimal Byzantine ML under Heterogeneity", AISTATS 2023): each update is replaced by the plain
 * mean of its n - f nearest updates, itself included, and keeps its weight. Shrinks the spread the aggregator after it
 * sees while a Byzantine update can only enter a mean with weight 1/(n - f). Neighbours come from the batch's
 * {@link RowGeometry}; ties in distance go to the lower index, and the update itself comes first (ByzFL's
 * {@code NNM} leaves ties to {@code argpartition}). Needs {@code n > f}, as ByzFL checks. Returns a
 * {@link MixedBatch}: no row is read.
 */
public final class NearestNeighbourMixing implements PreAggregator {

    public static final String NAME = "nnm";

    private final int f;

    public NearestNeighbourMixing(int f) {
        this.f = f;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public int minUpdates() {
        return f + 1;
    }

    @Override
    public String requirement() {
        return "n > f";
    }

    @Override
    public UpdateBatch apply(UpdateBatch batch, long seed) {
        int n = batch.size();
        int k = n - f;
        double[][] distances = batch.geometry().squaredDistances();
        double[][] mix = new double[n][n];
        for (int i = 0; i < n; i++) {
            int self = i;
            double[] row = distances[i];
            mix[i][i] = 1.0 / k;
            IntStream.range(0, n).filter(j -> j != self).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> row[j]).thenComparingInt(j -> j))
                    .limit(k - 1).forEach(j -> mix[self][j] = 1.0 / k);
        }
        return new MixedBatch(batch, mix, batch.weights());
    }
}
