package dev.hansa.privacy.accounting;

import static dev.hansa.privacy.accounting.Close.assertClose;
import static dev.hansa.privacy.accounting.Close.assertToDigits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.tree.TreeNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DP-FTRL accounting against the test vectors of DP_MORE 1.10 (TF-Privacy's orders) and a brute-force zeta*. */
class TreeAccountantTest {

    private static TreeAccountant trees(double sigma, long leaves, int count) {
        TreeAccountant accountant = TreeAccountant.empty();
        for (int k = 0; k < count; k++) {
            accountant = accountant.compose(TreeAggregationEvent.once(sigma, leaves));
        }
        return accountant;
    }

    private static double classic(TreeAccountant a, double delta) {
        return RdpConversion.CLASSIC.convert(RdpOrders.OPACUS, a.rdp(), delta).epsilon();
    }

    @Test
    void oneTreeStackOverflowSetting() {
        TreeAccountant a = trees(1.13, 1600, 1);
        assertEquals(11, a.trees().getFirst().squaredSensitivity());
        assertToDigits(4.3073, 4, a.rho(), "rho");
        assertToDigits(18.71, 2, a.epsilon(1e-6), "epsilon");
        assertEquals(2.7, a.spent(1e-6).order(), 1e-12);
        assertToDigits(19.736, 3, classic(a, 1e-6), "classic epsilon");

        TreeAccountant b = trees(8.83, 1600, 1);
        assertToDigits(0.07054, 5, b.rho(), "rho");
        assertToDigits(1.773, 3, b.epsilon(1e-6), "epsilon");
        assertEquals(14.0, b.spent(1e-6).order());
        assertToDigits(2.045, 3, classic(b, 1e-6), "classic epsilon");
    }

    @Test
    void restartedTreesAddTheirDepths() {
        TreeAccountant four = trees(1.0, 400, 4);
        assertEquals(36, four.trees().stream().mapToLong(TreeAggregationEvent::squaredSensitivity).sum());
        assertClose(18, four.rho(), 1e-15, 0, "rho");
        assertToDigits(45.25, 2, four.epsilon(1e-5), "epsilon");

        TreeAccountant ten = trees(2.0, 100, 10);
        assertClose(8.75, ten.rho(), 1e-15, 0, "rho");
        assertToDigits(27.52, 2, ten.epsilon(1e-5), "epsilon");
    }

    @Test
    void gboardSpanishModel() {
        TreeAggregationEvent tree = new TreeAggregationEvent(7, 2000, 6, 313);
        assertEquals(79, tree.squaredSensitivity());
        TreeAccountant a = TreeAccountant.empty().compose(tree);
        assertToDigits(0.80612, 5, a.rho(), "rho");
        assertToDigits(8.899, 3, a.epsilon(1e-10), "epsilon");
        assertEquals(6.1, a.spent(1e-10).order(), 1e-12);
        assertToDigits(9.423, 3, classic(a, 1e-10), "classic epsilon");
    }

    @Test
    void sensitivityVectors() {
        assertEquals(4, TreeSensitivity.squared(8, 1, 7));
        assertEquals(11, TreeSensitivity.squared(9, 3, 3));
        assertEquals(9, TreeSensitivity.squared(7, 3, 2));
        assertEquals(88, TreeSensitivity.squared(24, 8, 2));
        assertEquals(18, TreeSensitivity.squared(19, 2, 0));
        assertEquals(120, TreeSensitivity.squared(8, 8, 0));
        assertEquals(120, TreeSensitivity.squared(8, 20, 0));
    }

    @Test
    void sensitivityEqualsBruteForceOverEveryPattern() {
        for (int leaves = 1; leaves <= 13; leaves++) {
            for (int k = 1; k <= 4; k++) {
                for (int b = 0; b <= 3; b++) {
                    assertEquals(bruteForce(leaves, k, b), TreeSensitivity.squared(leaves, k, b),
                            "T=" + leaves + " k=" + k + " b=" + b);
                }
            }
        }
    }

    @Test
    void oneParticipationIsTheDepth() {
        for (long leaves = 1; leaves <= 70; leaves++) {
            long depth = (long) Math.floor(Math.log(leaves) / Math.log(2) + 1e-12) + 1;
            assertEquals(depth, TreeSensitivity.squared(leaves, 1, 0), "T=" + leaves);
            if (leaves <= 12) {
                assertEquals(depth, bruteForce((int) leaves, 1, 0), "T=" + leaves);
            }
        }
    }

    @Test
    void moreLeavesOrParticipationsNeverCostLess() {
        long previous = 0;
        for (long leaves = 1; leaves <= 40; leaves++) {
            long zeta = TreeSensitivity.squared(leaves, 3, 2);
            assertTrue(zeta >= previous, "T=" + leaves);
            assertTrue(zeta >= TreeSensitivity.squared(leaves, 2, 2), "T=" + leaves);
            previous = zeta;
        }
    }

    @Test
    void noNoiseIsInfiniteAndNoTreeIsFree() {
        assertEquals(Double.POSITIVE_INFINITY, trees(0, 10, 1).epsilon(1e-5));
        assertEquals(0, trees(0, 0, 1).epsilon(1e-5));
        assertEquals(0, TreeAccountant.empty().epsilon(1e-5));
    }

    @Test
    void refusesBadEvents() {
        assertEquals("sigma must be >= 0, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> new TreeAggregationEvent(-1, 5, 1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TreeAggregationEvent(1, -1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TreeAggregationEvent(1, 5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TreeAggregationEvent(1, 5, 1, -1));
    }

    /** zeta* by enumerating every set of at most k leaves b apart and summing the squared counts over the forest. */
    private static long bruteForce(int leaves, int k, int b) {
        List<TreeNode> forest = forest(leaves);
        long best = 0;
        for (int mask = 1; mask < 1 << leaves; mask++) {
            if (Integer.bitCount(mask) > k || !separated(mask, b)) {
                continue;
            }
            long sum = 0;
            for (TreeNode node : forest) {
                long count = 0;
                for (long leaf = node.first(); leaf <= node.last(); leaf++) {
                    count += mask >>> (leaf - 1) & 1;
                }
                sum += count * count;
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    private static boolean separated(int mask, int b) {
        int last = -b - 1;
        for (int i = 0; i < 32; i++) {
            if ((mask >>> i & 1) == 1) {
                if (i - last <= b) {
                    return false;
                }
                last = i;
            }
        }
        return true;
    }

    /** Every node released over {@code leaves} steps: those whose last leaf is at most {@code leaves}. */
    private static List<TreeNode> forest(int leaves) {
        List<TreeNode> nodes = new java.util.ArrayList<>();
        for (int h = 0; 1 << h <= leaves; h++) {
            for (long j = 1; j << h <= leaves; j++) {
                nodes.add(new TreeNode(h, j));
            }
        }
        return nodes;
    }
}
