package dev.hansa.privacy.tree;

/**
 * The independent noise {@code z} of each tree node, as integers in units of a noise grid step
 * ({@link dev.hansa.privacy.noise.GaussianNoise.Calibration}). The same node must always give the same noise: a
 * prefix and the next one share nodes.
 */
@FunctionalInterface
public interface NodeNoise {

    /** The noise of {@code node} in tree {@code tree} (trees are numbered from 1 as restarts start them). */
    long[] of(int tree, TreeNode node);
}
