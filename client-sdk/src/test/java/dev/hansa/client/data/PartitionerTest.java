package dev.hansa.client.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionerTest {

    private static Dataset labelled(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new Dataset(new float[n], y, 1, classes);
    }

    private static void assertExactCover(List<int[]> parts, int n) {
        int[] seen = new int[n];
        for (int[] p : parts) {
            for (int i : p) {
                seen[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "sample " + i + " assigned " + seen[i] + " times");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"iid", "dirichlet:0.1", "dirichlet:0.5", "dirichlet:100", "shards:2", "gamma:0",
            "gamma:0.33", "gamma:1"})
    void everySampleAssignedOnceAndDeterministic(String spec) {
        Dataset data = labelled(3000, 10, 1);
        Partitioner p = Partitioner.parse(spec);
        List<int[]> a = p.split(data, 20, 42), b = p.split(data, 20, 42);
        assertEquals(20, a.size());
        assertExactCover(a, data.size());
        for (int c = 0; c < a.size(); c++) {
            assertArrayEquals(a.get(c), b.get(c));
        }
    }

    @Test
    void iidSizesDifferByAtMostOne() {
        List<int[]> parts = new IidPartitioner().split(labelled(1003, 10, 2), 10, 3);
        int min = parts.stream().mapToInt(p -> p.length).min().orElseThrow();
        int max = parts.stream().mapToInt(p -> p.length).max().orElseThrow();
        assertTrue(max - min <= 1);
    }

    /** Average number of classes that hold 90% of a client's samples: the smaller, the more skew. */
    private static double dominantClasses(Dataset data, List<int[]> parts) {
        double total = 0;
        for (int[] p : parts) {
            int[] counts = data.subset(p).classCounts();
            java.util.Arrays.sort(counts);
            int covered = 0, k = 0;
            for (int i = counts.length - 1; i >= 0 && covered < 0.9 * p.length; i--, k++) {
                covered += counts[i];
            }
            total += k;
        }
        return total / parts.size();
    }

    @Test
    void smallerAlphaGivesMoreLabelSkew() {
        Dataset data = labelled(6000, 10, 5);
        double skewed = dominantClasses(data, new DirichletPartitioner(0.1, 10).split(data, 20, 1));
        double mild = dominantClasses(data, new DirichletPartitioner(100, 10).split(data, 20, 1));
        assertTrue(skewed < 4, "alpha 0.1 should concentrate clients on few classes: " + skewed);
        assertTrue(mild > 8, "alpha 100 should be close to uniform: " + mild);
    }

    @Test
    void dirichletRespectsMinimumSize() {
        Dataset data = labelled(2000, 10, 6);
        for (int[] p : new DirichletPartitioner(0.1, 15).split(data, 30, 9)) {
            assertTrue(p.length >= 15);
        }
    }

    @Test
    void shardsGiveEachClientAtMostTwoClasses() {
        // 10 classes of 100 samples each, 10 clients x 2 shards of 50: each shard lies within one class.
        int[] y = new int[1000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / 100;
        }
        Dataset data = new Dataset(new float[1000], y, 1, 10);
        for (int[] p : new ShardPartitioner(2).split(data, 10, 3)) {
            assertEquals(100, p.length);
            assertTrue(java.util.Arrays.stream(data.subset(p).classCounts()).filter(c -> c > 0).count() <= 2);
        }
    }

    @Test
    void gammaSimilarityDealsAFractionIidAndTheRestByLabel() {
        // 10 classes of 100 samples, 10 clients: gamma = 0 gives each client one class, gamma = 1 every class, and
        // gamma = 0.5 each client a sorted chunk of 50 (about 50 of one class, a random half of the data being sorted)
        // plus 50 dealt at random (about 5 of each class).
        int[] y = new int[1000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10;
        }
        Dataset data = new Dataset(new float[1000], y, 1, 10);
        for (int[] p : new GammaSimilarityPartitioner(0).split(data, 10, 3)) {
            assertEquals(100, p.length);
            assertEquals(1, Arrays.stream(data.subset(p).classCounts()).filter(c -> c > 0).count());
        }
        for (int[] p : new GammaSimilarityPartitioner(1).split(data, 10, 3)) {
            assertEquals(100, p.length);
            assertTrue(Arrays.stream(data.subset(p).classCounts()).allMatch(c -> c > 0));
        }
        for (int[] p : new GammaSimilarityPartitioner(0.5).split(data, 10, 3)) {
            int[] counts = data.subset(p).classCounts();
            assertEquals(100, p.length);
            assertTrue(Arrays.stream(counts).max().orElseThrow() >= 30, Arrays.toString(counts));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Partitioner.parse("gamma:1.5"))
                .getMessage().contains("gamma"));
    }

    @Test
    void badArgumentsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DirichletPartitioner(0, 1))
                .getMessage().contains("alpha"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IidPartitioner().split(labelled(5, 2, 1), 6, 1))
                .getMessage().contains("clients"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Partitioner.parse("zipf"))
                .getMessage().contains("partition"));
    }

    @Test
    void gammaSamplerHasTheRightMean() {
        SplittableRandom r = new SplittableRandom(1);
        for (double shape : new double[] {0.1, 0.5, 1, 3.5}) {
            double sum = 0;
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                sum += GammaSampler.gamma(shape, r);
            }
            // Var = shape; the mean of n draws has standard error sqrt(shape / n).
            assertEquals(shape, sum / n, 5 * Math.sqrt(shape / n), "shape " + shape);
        }
    }
}
