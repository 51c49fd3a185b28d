package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.SparseEntries;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.compute.cpu.WeightedSum;
import java.util.Arrays;

/**
 * {@value #NAME}: the weighted mean {@code sum_i w_i u_i / sum_i w_i}, folded into one double[] running sum in
 * arrival order ({@link WeightedSum}: split across cores for large models, the same bits for any split). Double
 * accumulation keeps the rounding that depends on the order far below float32's resolution.
 *
 * <p>The accumulator holds up to {@code WeightedSum.GROUP - 1} updates back and folds them with the next in one pass
 * over the sum, which halves the fold's time or better; the additions and their order stay those of one fold per
 * update, so the sum has the same bits. It holds back only while the held updates take at most
 * {@link #MAX_HELD_BYTES}, so a large model folds one update at a time and costs no extra memory.
 *
 * <p>An update still held sparse (decoded from {@code topk}, {@code randk}, {@code sparseloco}) folds its k entries
 * directly ({@link SparseEntries#foldInto}), after the held updates: the same additions in the same order, so the same
 * bits, in O(k) instead of O(d) time and without the d floats of its expansion.
 */
public final class WeightedMean implements StreamingAggregator {

    public static final String NAME = "mean";
    /** Bound on the memory of the updates an accumulator holds back. */
    public static final long MAX_HELD_BYTES = 64L << 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Accumulator start(ModelSpec spec) {
        return new Grouped(new double[spec.parameterCount()], groupSize(spec.parameterCount()));
    }

    /** {@code sum_i w_i y_i}: the same bits as an accumulator fed the batch's rows in order. */
    @Override
    public double[] sum(UpdateBatch batch) {
        return batch.combine(batch.weights());
    }

    /** Updates folded per pass for a model of {@code parameters}: as many as fit {@link #MAX_HELD_BYTES} held, plus one. */
    static int groupSize(long parameters) {
        long held = MAX_HELD_BYTES / Math.max(1, (long) Float.BYTES * parameters);
        return (int) Math.clamp(1 + held, 1, WeightedSum.GROUP);
    }

    /** Folds updates {@code group} at a time; {@link #sum()} folds what is held. */
    private static final class Grouped implements Accumulator {

        private final double[] sum;
        private final double[] weights;
        private final float[][] held;
        private int count;

        Grouped(double[] sum, int group) {
            this.sum = sum;
            this.weights = new double[group];
            this.held = new float[group][];
        }

        @Override
        public void add(Tensors values, double weight) {
            SparseEntries sparse = values.sparseEntries().orElse(null);
            if (sparse != null) {
                flush();
                sparse.foldInto(sum, weight);
                return;
            }
            weights[count] = weight;
            held[count++] = values.values();
            if (count == held.length) {
                flush();
            }
        }

        @Override
        public double[] sum() {
            flush();
            return sum;
        }

        private void flush() {
            if (count > 0) {
                WeightedSum.shared().add(sum, Arrays.copyOf(weights, count), Arrays.copyOf(held, count));
                Arrays.fill(held, null);
                count = 0;
            }
        }
    }
}
