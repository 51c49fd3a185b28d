package dev.hansa.privacy.tree;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prefix noise of tree aggregation and its residuals, in units of the node noise's grid step. The residual of step
 * t, {@code round(N_t) - round(N_(t-1))}, is what DP-FTRL adds to the step's sum (TF-Privacy
 * {@code TreeResidualSumQuery}): the residuals of steps 1..t add up to {@code round(N_t)}, so the running sum of the
 * releases is the noised prefix sum. Rounding the prefix noise to the grid keeps every release on the grid (see
 * {@link dev.hansa.privacy.noise.GaussianNoise}); for the plain tree it is exact already.
 *
 * <p>The efficient variant's stored node values depend on their whole subtree; the values of the nodes of the last
 * prefix are kept, so each step draws only its new nodes (on average two), and after a restart of the process the
 * first step draws the tree's nodes again (t of them). Not thread-safe.
 */
public final class TreeNoise {

    private record Key(int tree, TreeNode node) {
    }

    private final TreeVariant variant;
    private final NodeNoise nodes;
    private final int dimension;
    private final Map<Key, double[]> stored = new HashMap<>();

    public TreeNoise(TreeVariant variant, NodeNoise nodes, int dimension) {
        this.variant = variant;
        this.nodes = nodes;
        this.dimension = dimension;
    }

    public TreeVariant variant() {
        return variant;
    }

    /** The prefix noise {@code N_t} of step {@code t} of tree {@code tree}, per coordinate, in grid steps. */
    public double[] prefix(int tree, long t) {
        double[] sum = new double[dimension];
        for (TreeNode node : TreeNode.prefix(t)) {
            double[] value = stored(tree, node, true);
            double weight = variant.weight(node.height());
            for (int i = 0; i < dimension; i++) {
                sum[i] += weight * value[i];
            }
        }
        return sum;
    }

    /**
     * The noise to add to step {@code t}'s sum (t >= 1): {@code round(N_t) - round(N_(t-1))}, with N_0 = 0, in grid
     * steps. Keeps the nodes of prefix t for the next step and forgets older ones.
     */
    public long[] residual(int tree, long t) {
        if (t < 1) {
            throw new IllegalArgumentException("t must be >= 1, got " + t);
        }
        double[] previous = prefix(tree, t - 1);
        double[] current = prefix(tree, t);
        long[] out = new long[dimension];
        for (int i = 0; i < dimension; i++) {
            out[i] = round(current[i]) - round(previous[i]);
        }
        Set<Key> keep = new HashSet<>();
        for (TreeNode node : TreeNode.prefix(t)) {
            keep.add(new Key(tree, node));
        }
        stored.keySet().retainAll(keep);
        return out;
    }

    /** Rounds half up, so that shifting by whole grid steps commutes with rounding. */
    private static long round(double value) {
        return (long) Math.floor(value + 0.5);
    }

    /**
     * A node's stored value: its own noise (plain), or its noise plus the mean of its children's values. Only prefix
     * nodes are kept ({@code keep}); a subtree computed on the way holds at most one vector per level at a time.
     */
    private double[] stored(int tree, TreeNode node, boolean keep) {
        Key key = new Key(tree, node);
        double[] value = stored.get(key);
        if (value != null) {
            return value;
        }
        long[] z = nodes.of(tree, node);
        value = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            value[i] = z[i];
        }
        if (variant == TreeVariant.EFFICIENT) {
            List<TreeNode> children = node.children();
            for (TreeNode child : children) {
                double[] c = stored(tree, child, false);
                for (int i = 0; i < dimension; i++) {
                    value[i] += c[i] / 2;
                }
            }
        }
        if (keep) {
            stored.put(key, value);
        }
        return value;
    }
}
