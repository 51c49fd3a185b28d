package dev.hansa.aggregation.algorithm;

import java.util.HashMap;
import java.util.Map;

/** The metrics every mean-based strategy reports when a round closes. */
final class RoundMetrics {

    private RoundMetrics() {
    }

    /** {@code clients}, {@code samples}, {@code update_norm} (L2 of the mean delta) and the clients' mean metrics. */
    static Map<String, Double> of(WeightedMeanAggregator mean, double[] meanDelta) {
        Map<String, Double> metrics = new HashMap<>(mean.metricMeans());
        metrics.put("clients", (double) mean.count());
        metrics.put("samples", (double) mean.totalSamples());
        metrics.put("update_norm", norm(meanDelta));
        return metrics;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
