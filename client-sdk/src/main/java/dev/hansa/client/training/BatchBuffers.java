package dev.hansa.client.training;

import dev.hansa.client.data.Dataset;
import dev.hansa.compute.FloatArray;

/**
 * A network's buffers on its backend for batches of up to {@link #capacity()} examples, reused across calls: the
 * forward pass and, when built for training, the backward pass, the loss gradient and the per-example clipped sums of
 * {@link PerExampleObjective}. Returned sums of losses are over the batch, not means.
 */
interface BatchBuffers extends AutoCloseable {

    int capacity();

    /** Stages examples [from, from + rows) on the backend and returns their labels. */
    int[] loadRange(Dataset data, int from, int rows);

    /** Stages the given examples on the backend and returns their labels. */
    int[] load(Dataset data, int[] rows);

    /** Runs the staged batch through the network; returns the logits (batch x classes). */
    FloatArray forward(FloatArray params, int batch);

    /** Writes the gradient of the batch's mean loss into {@code grad}; returns the mean loss. */
    double lossAndGradient(FloatArray params, int batch, int[] labels, FloatArray grad);

    /** {@link PerExampleObjective#clippedGradientSum} on the staged batch; returns the summed loss. */
    double clippedSum(FloatArray params, int batch, int[] labels, double clip, PerExampleClipping mode,
                      FloatArray sumOut);

    @Override
    void close();

    /**
     * Refuses data a network cannot read: other than {@code features} values per example ({@code shape} describes
     * them in the message), or more classes than it outputs.
     */
    static void checkData(Dataset data, int features, String shape, int classes) {
        if (data.featureCount() != features) {
            throw new IllegalArgumentException("data has " + data.featureCount() + " features, the model expects "
                    + shape);
        }
        if (data.numClasses() > classes) {
            throw new IllegalArgumentException("data has " + data.numClasses() + " classes, the model outputs "
                    + classes);
        }
    }

    /** Copies examples [from, from + rows) to the start of {@code target} in one copy; returns their labels. */
    static int[] stageRange(Dataset data, int from, int rows, FloatArray target) {
        data.copyFeatures(from, rows, target);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = data.label(from + i);
        }
        return labels;
    }

    /** Gathers the examples' features in {@code staging} on the host, copies them to {@code target}; their labels. */
    static int[] stageRows(Dataset data, int[] rows, float[] staging, FloatArray target) {
        int features = data.featureCount();
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            data.copyFeatures(rows[i], staging, i * features);
            labels[i] = data.label(rows[i]);
        }
        target.copyFromHost(staging, 0, 0, rows.length * features);
        return labels;
    }

    /** The clipping factor of DP-SGD: min(1, clip / (norm + 1e-6)). */
    static float clipFactor(double norm, double clip) {
        return (float) Math.min(1, clip / (norm + PerExampleObjective.NORM_EPSILON));
    }
}
