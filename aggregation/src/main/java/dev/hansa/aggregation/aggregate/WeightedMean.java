package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.compute.cpu.WeightedSum;

/**
 * {@value #NAME}: the weighted mean {@code sum_i w_i u_i / sum_i w_i}, folded into one double[] running sum in
 * arrival order ({@link WeightedSum}: split across cores for large models, the same bits for any split). Double
 * accumulation keeps the rounding that depends on the order far below float32's resolution.
 */
public final class WeightedMean implements StreamingAggregator {

    public static final String NAME = "mean";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Accumulator start(ModelSpec spec) {
        double[] sum = new double[spec.parameterCount()];
        return new Accumulator() {
            @Override
            public void add(float[] values, double weight) {
                WeightedSum.shared().add(sum, weight, values);
            }

            @Override
            public double[] sum() {
                return sum;
            }
        };
    }
}
