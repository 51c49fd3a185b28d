package dev.hansa.privacy.tree;

/**
 * How a prefix's noise is read off the noisy nodes. Both measure every node with the same independent noise, so their
 * privacy is the same (the efficient one is post-processing of the same nodes); they differ in the error.
 */
public enum TreeVariant {

    /**
     * The binary tree mechanism (Dwork, Naor, Pitassi, Rothblum 2010; Chan, Shi, Song 2011): the prefix noise is the
     * sum of its nodes' noise, variance {@code popcount(t) sigma^2}.
     */
    PLAIN,

    /**
     * Honaker's efficient variant (TF-Privacy {@code EfficientTreeAggregator}, the TFF default): a node of height
     * h stores {@code S = z + (S_left + S_right) / 2} and contributes {@code S / (2 - 2^-h)}, the inverse-variance
     * (BLUE) combination of its own measurement with its subtree's; variance {@code sigma^2 / (2 - 2^-h)} per node.
     */
    EFFICIENT;

    /** What a node's stored value is multiplied by in a prefix: 1, or {@code 1 / (2 - 2^-height)}. */
    public double weight(int height) {
        return this == PLAIN ? 1 : 1 / (2 - Math.scalb(1.0, -height));
    }

    /** The variance of the prefix noise of step {@code t} per coordinate, in units of the node variance. */
    public double prefixVariance(long t) {
        double variance = 0;
        for (TreeNode node : TreeNode.prefix(t)) {
            variance += this == PLAIN ? 1 : weight(node.height());
        }
        return variance;
    }
}
