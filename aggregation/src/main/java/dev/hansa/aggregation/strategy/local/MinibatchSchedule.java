package dev.hansa.aggregation.strategy.local;

import dev.hansa.aggregation.random.Draws;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.strategy.TrainingPlan;
import java.util.random.RandomGenerator;

/**
 * The local minibatch order: the sample indices are reshuffled at the start of every epoch by a generator seeded
 * with the plan's seed, then cut into batches of {@code batchSize} (the last batch of an epoch may be smaller).
 * With {@code localSteps} set the schedule simply runs on across epoch boundaries.
 */
public final class MinibatchSchedule {

    private final int[] order;
    private final int batchSize;
    private final RandomGenerator random;
    private int cursor;

    public MinibatchSchedule(int numSamples, int batchSize, long seed) {
        if (numSamples < 1) {
            throw new IllegalArgumentException("numSamples must be >= 1 for local training, got " + numSamples);
        }
        this.order = new int[numSamples];
        for (int i = 0; i < numSamples; i++) {
            order[i] = i;
        }
        this.batchSize = Math.min(batchSize, numSamples);
        this.random = Seeds.generator(seed);
        this.cursor = numSamples;
    }

    /** Steps the plan asks for: {@code localSteps}, or {@code localEpochs * ceil(n / B)}. */
    public static long steps(TrainingPlan plan, int numSamples) {
        if (plan.localSteps() > 0) {
            return plan.localSteps();
        }
        long perEpoch = (numSamples + (long) Math.min(plan.batchSize(), numSamples) - 1) / Math.min(plan.batchSize(), numSamples);
        return plan.localEpochs() * perEpoch;
    }

    /** The next minibatch (a fresh array). */
    public int[] next() {
        if (cursor == order.length) {
            Draws.shuffle(order, random);
            cursor = 0;
        }
        int size = Math.min(batchSize, order.length - cursor);
        int[] batch = new int[size];
        System.arraycopy(order, cursor, batch, 0, size);
        cursor += size;
        return batch;
    }
}
