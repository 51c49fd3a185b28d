package dev.hansa.privacy.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of the binary tree mechanism: the dyadic interval of leaves {@code [(index - 1) 2^height + 1,
 * index 2^height]} (leaves are 1-based steps, a leaf has height 0). Its noise is drawn when its last leaf arrives.
 *
 * @param height the node's height, in [0, 62]
 * @param index  which node of that height, from 1
 */
public record TreeNode(int height, long index) {

    public TreeNode {
        if (height < 0 || height > 62) {
            throw new IllegalArgumentException("height must be in [0, 62], got " + height);
        }
        if (index < 1 || index > Long.MAX_VALUE >> height) {
            throw new IllegalArgumentException("index must be in [1, 2^(63 - height)), got " + index);
        }
    }

    /** The first leaf under this node. */
    public long first() {
        return ((index - 1) << height) + 1;
    }

    /** The last leaf under this node. */
    public long last() {
        return index << height;
    }

    /** The two nodes one level down that this node covers; a leaf has none. */
    public List<TreeNode> children() {
        if (height == 0) {
            return List.of();
        }
        return List.of(new TreeNode(height - 1, 2 * index - 1), new TreeNode(height - 1, 2 * index));
    }

    /**
     * The nodes whose noise makes up the prefix noise of step {@code t}, highest first: one node per set bit of
     * {@code t}, taken from the highest bit down, each starting right after the previous one ends (for 13 = 8+4+1:
     * [1..8], [9..12], [13..13]). At most {@code ceil(log2(t + 1))} nodes; none for t = 0.
     */
    public static List<TreeNode> prefix(long t) {
        if (t < 0) {
            throw new IllegalArgumentException("t must be >= 0, got " + t);
        }
        List<TreeNode> nodes = new ArrayList<>(Long.bitCount(t));
        long covered = 0;
        for (int height = 63 - Long.numberOfLeadingZeros(t); height >= 0; height--) {
            if ((t >>> height & 1) == 1) {
                nodes.add(new TreeNode(height, (covered >>> height) + 1));
                covered += 1L << height;
            }
        }
        return nodes;
    }
}
