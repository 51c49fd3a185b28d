package dev.hansa.aggregation.aggregate;

import dev.hansa.compute.cpu.WorkerPool;

/**
 * The threads that whole-round rules split their passes over a batch across (the Gram matrix's block reads, the
 * coordinate-wise rules' column blocks): one per core, shared by the process, daemons.
 */
public final class AggregationThreads {

    public static final WorkerPool POOL = new WorkerPool(Runtime.getRuntime().availableProcessors());

    private AggregationThreads() {
    }
}
