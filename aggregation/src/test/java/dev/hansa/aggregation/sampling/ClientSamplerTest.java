package dev.hansa.aggregation.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {

    static List<String> clients(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("client-" + i);
        }
        return ids;
    }

    static void assertOrderedSubList(List<String> candidates, List<String> chosen) {
        assertEquals(chosen.size(), new HashSet<>(chosen).size(), "no duplicates");
        int last = -1;
        for (String c : chosen) {
            int index = candidates.indexOf(c);
            assertTrue(index > last, "in candidate order: " + chosen);
            last = index;
        }
    }

    @Nested
    class Uniform {

        @Test
        void sizeIsTheClampedCeilingNeverAboveN() {
            assertEquals(3, new UniformSampler(0.1, 1, 100).sampleSize(30), "0.1*30 is 3, not 4");
            assertEquals(4, new UniformSampler(0.1, 1, 100).sampleSize(31));
            assertEquals(2, new UniformSampler(0.01, 2, 100).sampleSize(50), "minClients");
            assertEquals(5, new UniformSampler(1.0, 1, 5).sampleSize(50), "maxClients");
            assertEquals(3, new UniformSampler(0.5, 10, 20).sampleSize(3), "never more than N");
            assertEquals(0, new UniformSampler(0.5, 1, 20).sampleSize(0));
        }

        @Test
        void isDeterministicDistinctAndInCandidateOrder() {
            List<String> candidates = clients(100);
            UniformSampler sampler = new UniformSampler(0.1, 1, 100);
            List<String> a = sampler.sample(candidates, 99);
            assertEquals(10, a.size());
            assertEquals(a, sampler.sample(candidates, 99));
            assertNotEquals(a, sampler.sample(candidates, 100));
            assertOrderedSubList(candidates, a);
        }

        @Test
        void everyClientIsEquallyLikely() {
            List<String> candidates = clients(10);
            UniformSampler sampler = new UniformSampler(0.3, 1, 10);
            int[] hits = new int[10];
            int trials = 20_000;
            for (int t = 0; t < trials; t++) {
                sampler.sample(candidates, t).forEach(c -> hits[candidates.indexOf(c)]++);
            }
            for (int h : hits) {
                // Expected 6000 per client, sd ~65: 5 sd is a safe band.
                assertEquals(6000, h, 330);
            }
        }

        @Test
        void rejectsBadBounds() {
            assertThrows(IllegalArgumentException.class, () -> new UniformSampler(0, 1, 2));
            assertThrows(IllegalArgumentException.class, () -> new UniformSampler(1.5, 1, 2));
            assertThrows(IllegalArgumentException.class, () -> new UniformSampler(0.5, 0, 2));
            assertThrows(IllegalArgumentException.class, () -> new UniformSampler(0.5, 3, 2));
        }
    }

    @Nested
    class Independent {

        @Test
        void bernoulliRedrawsUntilSomeoneIsChosen() {
            List<String> candidates = clients(3);
            BernoulliSampler sampler = new BernoulliSampler(0.05);
            for (long seed = 0; seed < 200; seed++) {
                List<String> chosen = sampler.sample(candidates, seed);
                assertFalse(chosen.isEmpty());
                assertOrderedSubList(candidates, chosen);
                assertEquals(chosen, sampler.sample(candidates, seed));
            }
        }

        @Test
        void bernoulliEqualsPoissonWhenTheFirstDrawIsNotEmpty() {
            List<String> candidates = clients(50);
            for (long seed = 0; seed < 20; seed++) {
                assertEquals(new PoissonSampler(0.3).sample(candidates, seed),
                        new BernoulliSampler(0.3).sample(candidates, seed));
            }
        }

        @Test
        void poissonNeverRedrawsAndHasTheRightRate() {
            List<String> candidates = clients(3);
            PoissonSampler sampler = new PoissonSampler(0.05);
            int empty = 0;
            long total = 0;
            for (long seed = 0; seed < 4000; seed++) {
                List<String> chosen = sampler.sample(candidates, seed);
                empty += chosen.isEmpty() ? 1 : 0;
                total += chosen.size();
            }
            // P(empty) = 0.95^3 = 0.857; mean size 0.15 per round.
            assertEquals(0.857, empty / 4000.0, 0.03);
            assertEquals(0.15, total / 4000.0, 0.03);
        }

        @Test
        void rejectsProbabilitiesOutsideTheUnitInterval() {
            assertThrows(IllegalArgumentException.class, () -> new PoissonSampler(0));
            assertThrows(IllegalArgumentException.class, () -> new BernoulliSampler(1.01));
        }
    }
}
