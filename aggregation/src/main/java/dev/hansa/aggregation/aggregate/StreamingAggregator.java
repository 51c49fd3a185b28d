package dev.hansa.aggregation.aggregate;

import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;

/** An {@link Aggregator} that folds updates one at a time into a running sum of O(model) memory. */
public non-sealed interface StreamingAggregator extends Aggregator {

    /** An empty running sum for a model of {@code spec}. */
    Accumulator start(ModelSpec spec);

    /** The weighted sum a whole batch folds to (after pre-aggregators, whose rows exist only as combinations). */
    double[] sum(UpdateBatch batch);

    /** A running weighted sum; not thread-safe (the caller serialises {@link #add}). */
    interface Accumulator {

        /**
         * Folds {@code values} with weight {@code weight}, now or at a later call: the accumulator may keep the array
         * until {@link #sum()}, so the caller must not change it. Tensors still held sparse fold without being
         * expanded.
         */
        void add(Tensors values, double weight);

        /** The weighted sum of everything added so far (not a copy: read it once the round is over). */
        double[] sum();
    }
}
