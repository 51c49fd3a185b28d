package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.tensor.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round's aggregation in progress: admitted updates go in, the {@link RoundAggregate} comes out when the round
 * closes. With a streaming aggregator each role keeps a running sum; otherwise the updates' values are kept in a
 * {@link RowStore} until {@link #result()}, which reads each role's rows as one {@link UpdateBatch} in the order
 * they were added. Not thread-safe: the caller serialises {@link #add}.
 */
public final class RoundAggregation {

    /**
     * An update of a whole-round pipeline whose values the row store holds as row {@code slot}: what the round needs
     * of it besides the values.
     */
    public record Kept(String role, int slot, double weight, long numSamples, Map<String, Double> metrics) {

        public Kept {
            metrics = Map.copyOf(metrics);
        }

        /** {@code admitted} without its values, which are (to be) written to {@code slot}. */
        public static Kept of(AggregationPipeline.Admitted admitted, int slot) {
            return new Kept(admitted.update().role(), slot, admitted.weight(), admitted.update().numSamples(),
                    admitted.update().metrics());
        }
    }

    private final AggregationPipeline.Settings settings;
    private final ModelSpec spec;
    private final long roundSeed;
    private final RowStore rows;
    private final boolean streaming;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private int nextSlot;

    RoundAggregation(AggregationPipeline.Settings settings, ModelSpec spec, long roundSeed, RowStore rows) {
        if (rows.dimension() != spec.parameterCount()) {
            throw new IllegalArgumentException("a row store of " + rows.dimension() + " values for a model of "
                    + spec.parameterCount() + " parameters");
        }
        this.settings = settings;
        this.spec = spec;
        this.roundSeed = roundSeed;
        this.rows = rows;
        this.streaming = settings.streaming();
    }

    /**
     * Adds an admitted update: a streaming pipeline folds it, a whole-round one writes its values to the row store's
     * next free slot.
     *
     * @throws UncheckedIOException when the row store cannot keep the values
     */
    public void add(AggregationPipeline.Admitted admitted) {
        if (!admitted.update().values().spec().equals(spec)) {
            throw new IllegalArgumentException("update from " + admitted.update().clientId() + " has spec "
                    + admitted.update().values().spec() + ", the round expects " + spec);
        }
        Group group = groups.computeIfAbsent(admitted.update().role(), r -> new Group());
        if (streaming) {
            group.count(admitted.weight(), admitted.update().numSamples(), admitted.update().metrics());
            group.running.add(admitted.update().values(), admitted.weight());
            return;
        }
        int slot = nextSlot;
        try {
            rows.write(slot, admitted.update().values().values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the update of " + admitted.update().clientId(), e);
        }
        add(Kept.of(admitted, slot));
    }

    /**
     * Adds an update of a whole-round pipeline whose values the row store already holds (a server writes each row
     * as its upload arrives and adds the round's rows when it closes, in participant order).
     *
     * @throws IllegalStateException for a streaming pipeline, which keeps no rows
     */
    public void add(Kept kept) {
        if (streaming) {
            throw new IllegalStateException("a streaming pipeline folds updates; it keeps no rows");
        }
        groups.computeIfAbsent(kept.role(), r -> new Group()).keep(kept);
        nextSlot = Math.max(nextSlot, kept.slot() + 1);
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

    /** One role's updates: counts and metric sums always, and either a running sum or the slots of its rows. */
    private final class Group {
        int count;
        double totalWeight;
        long totalSamples;
        final Map<String, double[]> metricSums = new HashMap<>();
        final StreamingAggregator.Accumulator running = streaming
                ? ((StreamingAggregator) settings.aggregator()).start(spec) : null;
        final List<Integer> slots = new ArrayList<>();
        final List<Double> weights = new ArrayList<>();

        void count(double w, long numSamples, Map<String, Double> metrics) {
            count++;
            totalWeight += w;
            totalSamples = Math.addExact(totalSamples, numSamples);
            metrics.forEach((k, m) -> {
                double[] acc = metricSums.computeIfAbsent(k, key -> new double[2]);
                acc[0] += w * m;
                acc[1] += w;
            });
        }

        void keep(Kept kept) {
            count(kept.weight(), kept.numSamples(), kept.metrics());
            slots.add(kept.slot());
            weights.add(kept.weight());
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
            UpdateBatch batch = rows.batch(slots.stream().mapToInt(Integer::intValue).toArray(),
                    weights.stream().mapToDouble(Double::doubleValue).toArray());
            return settings.wholeRoundSum(batch, roundSeed, totalWeight);
        }
    }
}
