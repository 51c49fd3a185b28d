package dev.hansa.aggregation.aggregate;

/** How a strategy weights its participants' updates in the round's mean. */
public enum UpdateWeighting {
    /** By local sample count (McMahan et al.'s FedAvg). */
    SAMPLES,
    /** Equally (FL-Simulator's FedSpeed, FedAMD, balanced partitions). */
    UNIFORM;

    public double weight(long numSamples) {
        return this == SAMPLES ? numSamples : 1.0;
    }
}
