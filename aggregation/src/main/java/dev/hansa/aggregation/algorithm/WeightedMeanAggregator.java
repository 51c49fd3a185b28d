package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.strategy.ClientUpdate;
import dev.hansa.aggregation.strategy.RoundAggregator;
import dev.hansa.compute.cpu.WeightedSum;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streaming weighted mean of uploads: keeps one double[] running sum of {@code w_i * Delta_i} and the weight total,
 * never the updates themselves (memory O(model)). Weights are the sample counts, or 1 each when unweighted. Client
 * metrics are averaged with the same weights over the updates that report them.
 */
public final class WeightedMeanAggregator implements RoundAggregator {

    private final ModelSpec spec;
    private final boolean weighted;
    private final double[] sum;
    private double totalWeight;
    private long totalSamples;
    private int count;
    private final Map<String, double[]> metricSums = new HashMap<>();

    public WeightedMeanAggregator(ModelSpec spec, boolean weighted) {
        this.spec = spec;
        this.weighted = weighted;
        this.sum = new double[spec.parameterCount()];
    }

    @Override
    public void add(ClientUpdate update) {
        if (!update.tensors().spec().equals(spec)) {
            throw new IllegalArgumentException("update from " + update.clientId() + " has spec "
                    + update.tensors().spec() + ", the round expects " + spec);
        }
        double w = weighted ? update.numSamples() : 1.0;
        WeightedSum.shared().add(sum, w, update.tensors().values());
        totalWeight += w;
        totalSamples += update.numSamples();
        count++;
        update.metrics().forEach((k, m) -> {
            double[] acc = metricSums.computeIfAbsent(k, key -> new double[2]);
            acc[0] += w * m;
            acc[1] += w;
        });
    }

    @Override
    public int count() {
        return count;
    }

    /** Sum of the sample counts of the folded updates. */
    public long totalSamples() {
        return totalSamples;
    }

    /** The weighted mean {@code sum_i w_i Delta_i / sum_i w_i}, a new array; requires at least one update. */
    public double[] mean() {
        if (count == 0) {
            throw new IllegalStateException("no update was folded");
        }
        double[] mean = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i] / totalWeight;
        }
        return mean;
    }

    /** The running sum {@code sum_i w_i Delta_i} (a copy). */
    public double[] sum() {
        return sum.clone();
    }

    /** Weighted means of the client metrics, by name in sorted order. */
    public Map<String, Double> metricMeans() {
        Map<String, Double> means = new TreeMap<>();
        metricSums.forEach((k, acc) -> means.put(k, acc[0] / acc[1]));
        return means;
    }

    static WeightedMeanAggregator of(RoundAggregator aggregate) {
        if (aggregate instanceof WeightedMeanAggregator w) {
            return w;
        }
        throw new IllegalArgumentException("aggregate must come from this strategy's newAggregator, got "
                + aggregate.getClass().getName());
    }
}
