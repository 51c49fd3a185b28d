package dev.hansa.privacy.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TreeNodeTest {

    private static String intervals(long t) {
        return String.join("+", TreeNode.prefix(t).stream().map(n -> "[" + n.first() + ".." + n.last() + "]")
                .toList());
    }

    @Test
    void prefixesOfAnEightLeafTree() {
        assertEquals(List.of("[1..1]", "[1..2]", "[1..2]+[3..3]", "[1..4]", "[1..4]+[5..5]", "[1..4]+[5..6]",
                "[1..4]+[5..6]+[7..7]", "[1..8]"), java.util.stream.LongStream.rangeClosed(1, 8)
                .mapToObj(TreeNodeTest::intervals).toList());
        assertEquals("[1..8]+[9..12]+[13..13]", intervals(13));
        assertEquals("", intervals(0));
    }

    @Test
    void everyPrefixIsCoveredByAtMostCeilLog2OfTPlusOneNodes() {
        for (long t = 1; t <= 5000; t++) {
            List<TreeNode> nodes = TreeNode.prefix(t);
            long next = 1;
            for (TreeNode node : nodes) {
                assertEquals(next, node.first(), "t=" + t);
                assertEquals(node.last() - node.first() + 1, 1L << node.height());
                next = node.last() + 1;
            }
            assertEquals(t + 1, next, "t=" + t + " is covered exactly");
            int ceilLog2 = (int) Math.ceil(Math.log(t + 1) / Math.log(2) - 1e-12);
            assertTrue(nodes.size() <= ceilLog2, "t=" + t + ": " + nodes.size() + " nodes");
            assertEquals(Long.bitCount(t), nodes.size());
        }
    }

    @Test
    void childrenHalveTheInterval() {
        TreeNode node = new TreeNode(3, 2);
        assertEquals(9, node.first());
        assertEquals(16, node.last());
        assertEquals(List.of(new TreeNode(2, 3), new TreeNode(2, 4)), node.children());
        assertEquals(List.of(), new TreeNode(0, 5).children());
        assertThrows(IllegalArgumentException.class, () -> new TreeNode(0, 0));
        assertThrows(IllegalArgumentException.class, () -> TreeNode.prefix(-1));
    }
}
