package dev.hansa.client.training;

/**
 * How {@link PerExampleObjective#clippedGradientSum} finds each example's gradient norm.
 */
public enum PerExampleClipping {
    /** Materialises every example's full gradient (batch x parameters floats), takes its norm, scales and sums. */
    NAIVE,
    /**
     * Ghost clipping: a dense layer's per-example weight gradient is the outer product g_i a_i^T, so its squared norm
     * is ||g_i||^2 ||a_i||^2 (plus ||g_i||^2 for the bias); the clipped sum is one batched backward with each
     * example's output gradients scaled by its clip factor. No per-example gradient is ever formed.
     */
    GHOST
}
