package dev.hansa.privacy.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.privacy.noise.GaussianNoise;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The prefix noise against a direct construction from the same node draws, its variance against the closed forms, and
 * the residuals' telescoping, for both variants.
 */
class TreeNoiseTest {

    /** Reproducible node noise from a map, so the test can recompute every prefix from the same draws. */
    private static final class Recorded implements NodeNoise {
        final Map<String, long[]> drawn = new HashMap<>();
        final int dimension;
        int draws;

        Recorded(int dimension) {
            this.dimension = dimension;
        }

        @Override
        public long[] of(int tree, TreeNode node) {
            draws++;
            return drawn.computeIfAbsent(tree + "/" + node, k -> new SplittableRandom(k.hashCode())
                    .longs(dimension, -1000, 1000).toArray()).clone();
        }

        long[] z(int tree, int height, long index) {
            return of(tree, new TreeNode(height, index));
        }
    }

    /** The efficient variant's stored value, recomputed by its definition in doubles. */
    private static double[] honaker(Recorded nodes, int tree, int height, long index) {
        long[] z = nodes.z(tree, height, index);
        double[] s = Arrays.stream(z).asDoubleStream().toArray();
        if (height > 0) {
            double[] l = honaker(nodes, tree, height - 1, 2 * index - 1);
            double[] r = honaker(nodes, tree, height - 1, 2 * index);
            for (int i = 0; i < s.length; i++) {
                s[i] += (l[i] + r[i]) / 2;
            }
        }
        return s;
    }

    /** The prefix noise by the rule of DP_MORE 1.2 / 1.3: for each set bit of t from the top, the next node. */
    private static double[] direct(Recorded nodes, TreeVariant variant, int tree, long t) {
        double[] sum = new double[nodes.dimension];
        long start = 0;
        for (int h = 62; h >= 0; h--) {
            if ((t & 1L << h) == 0) {
                continue;
            }
            long index = start / (1L << h) + 1;
            start += 1L << h;
            double[] value = variant == TreeVariant.PLAIN
                    ? Arrays.stream(nodes.z(tree, h, index)).asDoubleStream().toArray()
                    : honaker(nodes, tree, h, index);
            double weight = variant == TreeVariant.PLAIN ? 1 : 1 / (2 - Math.pow(2, -h));
            for (int i = 0; i < sum.length; i++) {
                sum[i] += weight * value[i];
            }
        }
        return sum;
    }

    @Test
    void prefixNoiseEqualsTheDirectConstruction() {
        for (TreeVariant variant : TreeVariant.values()) {
            Recorded nodes = new Recorded(5);
            TreeNoise noise = new TreeNoise(variant, nodes, 5);
            for (long t = 1; t <= 70; t++) {
                noise.residual(2, t);
                assertArrayEquals(direct(nodes, variant, 2, t), noise.prefix(2, t), 1e-9, variant + " t=" + t);
            }
        }
    }

    @Test
    void residualsAddUpToTheRoundedPrefix() {
        for (TreeVariant variant : TreeVariant.values()) {
            Recorded nodes = new Recorded(4);
            TreeNoise noise = new TreeNoise(variant, nodes, 4);
            long[] running = new long[4];
            for (long t = 1; t <= 40; t++) {
                long[] r = noise.residual(1, t);
                double[] prefix = direct(nodes, variant, 1, t);
                for (int i = 0; i < 4; i++) {
                    running[i] += r[i];
                    assertEquals(Math.floor(prefix[i] + 0.5), running[i], variant + " t=" + t);
                }
            }
        }
    }

    @Test
    void thePlainTreeNeedsNoRounding() {
        Recorded nodes = new Recorded(3);
        TreeNoise noise = new TreeNoise(TreeVariant.PLAIN, nodes, 3);
        for (long t = 1; t <= 20; t++) {
            for (double v : noise.prefix(1, t)) {
                assertEquals(Math.rint(v), v);
            }
        }
    }

    /** Node i's noise is the i-th unit vector, so a prefix's noise is its coefficient on each node. */
    @Test
    void prefixVarianceEqualsTheClosedForm() {
        int dimension = 2 * 64;
        Map<TreeNode, Integer> ids = new HashMap<>();
        NodeNoise unit = (tree, node) -> {
            long[] e = new long[dimension];
            e[ids.computeIfAbsent(node, n -> ids.size())] = 1;
            return e;
        };
        for (TreeVariant variant : TreeVariant.values()) {
            ids.clear();
            TreeNoise noise = new TreeNoise(variant, unit, dimension);
            for (long t = 1; t <= 64; t++) {
                double squares = Arrays.stream(noise.prefix(1, t)).map(c -> c * c).sum();
                double closed = variant == TreeVariant.PLAIN ? Long.bitCount(t)
                        : TreeNode.prefix(t).stream().mapToDouble(n -> 1 / (2 - Math.pow(2, -n.height()))).sum();
                assertEquals(closed, squares, 1e-12, variant + " t=" + t);
                assertEquals(closed, variant.prefixVariance(t), 1e-12);
            }
        }
        assertEquals(2.238, TreeVariant.EFFICIENT.prefixVariance(7), 5e-4);
        assertEquals(3, TreeVariant.PLAIN.prefixVariance(7));
        assertTrue(TreeVariant.EFFICIENT.prefixVariance(1000) < TreeVariant.PLAIN.prefixVariance(1000));
    }

    @Test
    void derivedNoiseHasTheCalibratedVariance() {
        int d = 20_000;
        GaussianNoise.Calibration calibration = GaussianNoise.calibrate(1.0, 2.0, d);
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        for (TreeVariant variant : TreeVariant.values()) {
            TreeNoise noise = new TreeNoise(variant, new DerivedNodeNoise(secret, calibration, d), d);
            double[] prefix = noise.prefix(1, 7);
            double g = calibration.granularity();
            double sumSquares = 0;
            for (double v : prefix) {
                sumSquares += v * g * v * g;
            }
            double expected = variant.prefixVariance(7) * calibration.stddev() * calibration.stddev();
            // 20,000 coordinates: the sample variance's relative standard error is sqrt(2/d) = 1%.
            assertEquals(1, sumSquares / d / expected, 0.04, variant.toString());
        }
    }

    @Test
    void derivedNoiseRepeatsForTheSameSecretOnly() {
        GaussianNoise.Calibration calibration = GaussianNoise.calibrate(1.0, 1.0, 8);
        byte[] secret = new byte[32];
        DerivedNodeNoise a = new DerivedNodeNoise(secret, calibration, 8);
        DerivedNodeNoise b = new DerivedNodeNoise(secret.clone(), calibration, 8);
        TreeNode node = new TreeNode(2, 3);
        assertArrayEquals(a.of(1, node), b.of(1, node));
        assertFalse(Arrays.equals(a.of(1, node), a.of(2, node)), "another tree");
        assertFalse(Arrays.equals(a.of(1, node), a.of(1, new TreeNode(2, 4))), "another node");
        secret[0] = 1;
        assertFalse(Arrays.equals(a.of(1, node), new DerivedNodeNoise(secret, calibration, 8).of(1, node)));
    }

    @Test
    void aFreshInstanceContinuesTheSameResiduals() {
        for (TreeVariant variant : TreeVariant.values()) {
            Recorded nodes = new Recorded(6);
            TreeNoise running = new TreeNoise(variant, nodes, 6);
            for (long t = 1; t <= 20; t++) {
                long[] r = running.residual(3, t);
                long[] restarted = new TreeNoise(variant, nodes, 6).residual(3, t);
                assertArrayEquals(r, restarted, variant + " t=" + t);
            }
        }
    }

    @Test
    void theEfficientTreeDrawsFewNodesPerStepOnceRunning() {
        Recorded nodes = new Recorded(1);
        TreeNoise noise = new TreeNoise(TreeVariant.EFFICIENT, nodes, 1);
        for (long t = 1; t <= 1024; t++) {
            noise.residual(1, t);
        }
        // Each node of the 1024-leaf tree is drawn when it completes (2047), plus the prefix nodes drawn again once
        // a step forgets them: well below one subtree per step.
        assertTrue(nodes.draws < 3 * 2047, "draws " + nodes.draws);
    }
}
