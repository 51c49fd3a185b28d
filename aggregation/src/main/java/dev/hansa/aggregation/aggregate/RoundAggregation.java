package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.tensor.ModelSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round's aggregation in progress: admitted updates go in (in arrival order), the {@link RoundAggregate} comes
 * out when the round closes. With a streaming aggregator each role keeps a running sum; otherwise it keeps the
 * role's updates until {@link #result()}. Not thread-safe: the caller serialises {@link #add}.
 */
public final class RoundAggregation {

    private final AggregationPipeline.Settings settings;
    private final ModelSpec spec;
    private final long roundSeed;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    RoundAggregation(AggregationPipeline.Settings settings, ModelSpec spec, long roundSeed) {
        this.settings = settings;
        this.spec = spec;
        this.roundSeed = roundSeed;
    }

    public void add(AggregationPipeline.Admitted admitted) {
        if (!admitted.update().values().spec().equals(spec)) {
            throw new IllegalArgumentException("update from " + admitted.update().clientId() + " has spec "
                    + admitted.update().values().spec() + ", the round expects " + spec);
        }
        groups.computeIfAbsent(admitted.update().role(), r -> new Group()).add(admitted);
    }

    /** Updates added so far. */
    public int count() {
        return groups.values().stream().mapToInt(g -> g.count).sum();
    }

    /**
     * The round's aggregate, role by role.
     *
     * @throws IllegalStateException when a role has fewer updates than the aggregator needs
     */
    public RoundAggregate result() {
        Map<String, GroupAggregate> byRole = new HashMap<>();
        groups.forEach((role, g) -> byRole.put(role, g.result(role)));
        return new RoundAggregate(byRole);
    }

    /** One role's updates: counts and metric sums always, and either a running sum or the updates themselves. */
    private final class Group {
        int count;
        double totalWeight;
        long totalSamples;
        final Map<String, double[]> metricSums = new HashMap<>();
        final StreamingAggregator.Accumulator running = settings.aggregator() instanceof StreamingAggregator s
                && settings.preAggregators().isEmpty() ? s.start(spec) : null;
        final List<float[]> rows = new ArrayList<>();
        final List<Double> weights = new ArrayList<>();

        void add(AggregationPipeline.Admitted a) {
            double w = a.weight();
            count++;
            totalWeight += w;
            totalSamples = Math.addExact(totalSamples, a.update().numSamples());
            a.update().metrics().forEach((k, m) -> {
                double[] acc = metricSums.computeIfAbsent(k, key -> new double[2]);
                acc[0] += w * m;
                acc[1] += w;
            });
            if (running != null) {
                running.add(a.update().values().values(), w);
            } else {
                rows.add(a.update().values().values());
                weights.add(w);
            }
        }

        GroupAggregate result(String role) {
            settings.shortfall(count).ifPresent(reason -> {
                throw new IllegalStateException("role '" + role + "' has " + count + " updates; " + reason);
            });
            Map<String, Double> means = new HashMap<>();
            metricSums.forEach((k, acc) -> means.put(k, acc[0] / acc[1]));
            return new GroupAggregate(running != null ? running.sum() : wholeRound(), totalWeight, count,
                    totalSamples, means);
        }

        private double[] wholeRound() {
            UpdateBatch batch = new HeapBatch(rows, weights.stream().mapToDouble(Double::doubleValue).toArray(),
                    spec.parameterCount());
            for (PreAggregator p : settings.preAggregators()) {
                batch = p.apply(batch, roundSeed);
            }
            return switch (settings.aggregator()) {
                case WholeRoundAggregator w -> {
                    double[] sum = w.aggregate(batch);
                    for (int j = 0; j < sum.length; j++) {
                        sum[j] *= totalWeight;
                    }
                    yield sum;
                }
                case StreamingAggregator s -> s.sum(batch);
            };
        }
    }
}
