package dev.hansa.aggregation.aggregate;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate of one role's updates in a round: the weighted sum {@code S = sum_i w_i u_i} (for a robust
 * aggregator, its estimate of the mean times the total weight) with the total weight W, so the mean is S / W, plus
 * the counts and the weighted means of the clients' training metrics.
 */
public record GroupAggregate(double[] sum, double totalWeight, int count, long totalSamples,
                             Map<String, Double> metricMeans) {

    public GroupAggregate {
        metricMeans = Map.copyOf(new TreeMap<>(metricMeans));
    }

    /** {@code S / W}, a new array. */
    public double[] mean() {
        double[] mean = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i] / totalWeight;
        }
        return mean;
    }

    /**
     * What every mean-based strategy reports when a round closes: {@code clients}, {@code samples},
     * {@code update_norm} (the L2 norm of the mean update that was applied) and the clients' mean metrics.
     */
    public Map<String, Double> metrics(double[] mean) {
        Map<String, Double> metrics = new HashMap<>(metricMeans);
        metrics.put("clients", (double) count);
        metrics.put("samples", (double) totalSamples);
        double s = 0;
        for (double x : mean) {
            s += x * x;
        }
        metrics.put("update_norm", Math.sqrt(s));
        return metrics;
    }
}
