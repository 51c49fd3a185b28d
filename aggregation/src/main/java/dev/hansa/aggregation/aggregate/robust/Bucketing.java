package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.MixedBatch;
import dev.hansa.aggregation.aggregate.PreAggregator;
import dev.hansa.aggregation.aggregate.UpdateBatch;
import dev.hansa.aggregation.random.Draws;
import dev.hansa.aggregation.random.Seeds;
import java.util.Map;

/**
 * {@value #NAME} (Karimireddy, He and Jaggi, "Byzantine-Robust Learning on Heterogeneous Datasets via Bucketing",
 * ICLR 2022): shuffle the n updates with the round's seed, cut them into ceil(n / s) buckets of s (the last may be
 * smaller) and replace each bucket by its weighted mean, carrying the bucket's total weight. Reduces the
 * heterogeneity a robust aggregator after it sees.
 */
public final class Bucketing implements PreAggregator {

    public static final String NAME = "bucketing";

    private final int bucketSize;

    public Bucketing(int bucketSize) {
        if (bucketSize < 1) {
            throw new IllegalArgumentException("robustness.preAggregators bucketing.bucketSize must be >= 1, got " + bucketSize);
        }
        this.bucketSize = bucketSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("bucketSize", bucketSize);
    }

    @Override
    public int outputSize(int n) {
        return (n + bucketSize - 1) / bucketSize;
    }

    @Override
    public UpdateBatch apply(UpdateBatch batch, long seed) {
        int n = batch.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Draws.shuffle(order, Seeds.generator(seed));
        double[] weights = batch.weights();
        int buckets = (n + bucketSize - 1) / bucketSize;
        double[][] mix = new double[buckets][n];
        double[] bucketWeights = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            int end = Math.min(n, (b + 1) * bucketSize);
            for (int k = b * bucketSize; k < end; k++) {
                bucketWeights[b] += weights[order[k]];
            }
            for (int k = b * bucketSize; k < end; k++) {
                mix[b][order[k]] = weights[order[k]] / bucketWeights[b];
            }
        }
        return new MixedBatch(batch, mix, bucketWeights);
    }
}
