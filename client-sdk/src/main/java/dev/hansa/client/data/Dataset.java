package dev.hansa.client.data;

import dev.hansa.compute.FloatArray;
import java.util.Objects;

/**
 * Labelled samples for classification: features as one row-major float matrix (size x featureCount) and integer
 * labels in [0, numClasses). Immutable by convention: the arrays are owned and never handed out for writing.
 */
public final class Dataset {

    private final float[] features;
    private final int[] labels;
    private final int featureCount;
    private final int numClasses;

    public Dataset(float[] features, int[] labels, int featureCount, int numClasses) {
        this.features = Objects.requireNonNull(features, "features");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (featureCount < 1) {
            throw new IllegalArgumentException("featureCount must be >= 1: " + featureCount);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2: " + numClasses);
        }
        if ((long) labels.length * featureCount != features.length) {
            throw new IllegalArgumentException("features holds " + features.length + " floats, expected labels.length ("
                    + labels.length + ") x featureCount (" + featureCount + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside [0, " + numClasses + ")");
            }
        }
        this.featureCount = featureCount;
        this.numClasses = numClasses;
    }

    public int size() {
        return labels.length;
    }

    public int featureCount() {
        return featureCount;
    }

    public int numClasses() {
        return numClasses;
    }

    public int label(int index) {
        return labels[index];
    }

    /** Copies sample {@code index}'s features into {@code dst[dstOffset..]}. */
    public void copyFeatures(int index, float[] dst, int dstOffset) {
        System.arraycopy(features, index * featureCount, dst, dstOffset, featureCount);
    }

    /**
     * Copies the features of samples [from, from + count) into the start of {@code dst} in one copy (the rows are
     * contiguous here), e.g. a test set chunk onto a compute backend.
     */
    public void copyFeatures(int from, int count, FloatArray dst) {
        Objects.checkFromIndexSize(from, count, labels.length);
        dst.copyFromHost(features, from * featureCount, 0, count * featureCount);
    }

    /** A new dataset holding the samples at {@code indices}, in that order. */
    public Dataset subset(int[] indices) {
        float[] f = new float[indices.length * featureCount];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Objects.checkIndex(indices[i], labels.length);
            copyFeatures(indices[i], f, i * featureCount);
            l[i] = labels[indices[i]];
        }
        return new Dataset(f, l, featureCount, numClasses);
    }

    /**
     * The same samples with every label y replaced by {@code numClasses - 1 - y}: the data of a label-flipping
     * Byzantine client (docs/robustness.md, "Attacks").
     */
    public Dataset withFlippedLabels() {
        int[] flipped = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            flipped[i] = numClasses - 1 - labels[i];
        }
        return new Dataset(features, flipped, featureCount, numClasses);
    }

    /** Number of samples of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
