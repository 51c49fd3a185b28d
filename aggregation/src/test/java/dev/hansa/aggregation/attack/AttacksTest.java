package dev.hansa.aggregation.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.random.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each attack against its formula, recomputed here in double precision on small random rounds. */
class AttacksTest {

    private static final Observation.Trial NO_TRIAL = rows -> {
        throw new AssertionError("this attack must not run the pipeline");
    };

    /** {@code honest} random rows of {@code d} values with a common offset, so the mean is far from 0. */
    private static List<float[]> rows(long seed, int honest, int d) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < honest; i++) {
            float[] row = new float[d];
            for (int j = 0; j < d; j++) {
                row[j] = (float) (0.5 * j - 1 + r.nextGaussian());
            }
            out.add(row);
        }
        return out;
    }

    private static Observation observe(List<float[]> honest, int byzantine) {
        return new Observation(7, honest.getFirst().length, honest, byzantine, List.of(), NO_TRIAL);
    }

    private static double[] mean(List<float[]> rows) {
        double[] m = new double[rows.getFirst().length];
        for (float[] row : rows) {
            for (int j = 0; j < m.length; j++) {
                m[j] += (double) row[j] / rows.size();
            }
        }
        return m;
    }

    private static double[] std(List<float[]> rows) {
        double[] m = mean(rows);
        double[] s = new double[m.length];
        for (int j = 0; j < m.length; j++) {
            double sum = 0;
            for (float[] row : rows) {
                sum += (row[j] - m[j]) * (row[j] - m[j]);
            }
            s[j] = Math.sqrt(sum / (rows.size() - 1));
        }
        return s;
    }

    /** Every forged row equals {@code expected} to float rounding, and there is one per Byzantine participant. */
    private static void assertAllSend(double[] expected, List<float[]> forged, int byzantine) {
        assertEquals(byzantine, forged.size());
        for (float[] row : forged) {
            assertEquals(expected.length, row.length);
            for (int j = 0; j < row.length; j++) {
                assertEquals(expected[j], row[j], 1e-6 * Math.max(1, Math.abs(expected[j])), "coordinate " + j);
            }
        }
    }

    private static Attack create(String name, Map<String, ?> params) {
        return Attacks.create(name, new Hyperparameters("byzantine.attackParams", name, params));
    }

    @Test
    void signFlippingSendsTheNegatedHonestMean() {
        List<float[]> honest = rows(1, 5, 13);
        double[] expected = mean(honest);
        for (int j = 0; j < expected.length; j++) {
            expected[j] = -expected[j];
        }
        assertAllSend(expected, create("sign-flipping", Map.of()).forge(observe(honest, 3)), 3);
    }

    @Test
    void ipmSendsMinusEpsilonTimesTheHonestMeanWithEpsilonDefaultingToATenth() {
        List<float[]> honest = rows(2, 4, 9);
        for (double epsilon : new double[] {0.1, 100}) {
            Attack ipm = epsilon == 0.1 ? create("ipm", Map.of()) : create("ipm", Map.of("epsilon", epsilon));
            assertEquals(Map.of("epsilon", epsilon), ipm.params());
            double[] expected = mean(honest);
            for (int j = 0; j < expected.length; j++) {
                expected[j] *= -epsilon;
            }
            assertAllSend(expected, ipm.forge(observe(honest, 2)), 2);
        }
    }

    @Nested
    class ALittleIsEnoughAttack {

        /** Phi^-1 of Python's statistics.NormalDist().inv_cdf (Wichura's AS241), to 1e-13. */
        @ParameterizedTest
        @CsvSource({"0.5, 0.0", "0.6, 0.2533471031357998", "0.625, 0.31863936396437514", "0.68, 0.46769879911450835",
                "0.9, 1.2815515655446008", "0.975, 1.9599639845400536", "0.999, 3.090232306167813",
                "0.999999999, 5.997807019601638", "0.3, -0.5244005127080407", "1e-6, -4.753424308822899"})
        void theNormalQuantileMatchesAReference(double p, double z) {
            assertEquals(z, NormalQuantile.of(p), 1e-13);
        }

        @Test
        void zFollowsThePaperOrKarimireddysFormula() {
            // ALGORITHMS.md 7.3: n = 25, f = 5 gives s = 8 and z = 0.4677 (paper) or 0.2533 (Karimireddy et al.).
            assertEquals(0.46769879911450835, ALittleIsEnough.ZFormula.PAPER.z(25, 5), 1e-13);
            assertEquals(0.2533471031357998, ALittleIsEnough.ZFormula.KARIMIREDDY.z(25, 5), 1e-13);
            // n = 26, f = 5: s = 9, z = Phi^-1(17/26) = 0.3957.
            assertEquals(0.3957, ALittleIsEnough.ZFormula.PAPER.z(26, 5), 1e-4);
            AttackNotApplicableException majority = assertThrows(AttackNotApplicableException.class,
                    () -> ALittleIsEnough.ZFormula.PAPER.z(8, 5));
            assertTrue(majority.getMessage().contains("byzantine.attackParams.z"), majority.getMessage());
        }

        @Test
        void sendsTheHonestMeanMinusZStandardDeviations() {
            List<float[]> honest = rows(3, 6, 11);
            double[] mu = mean(honest), sigma = std(honest);
            // n = 8, f = 2: s = floor(8/2 + 1) - 2 = 3, z = Phi^-1(5/8) by default; Karimireddy's Phi^-1(3/6) = 0.
            for (var c : List.of(Map.entry(Map.<String, Object>of(), 0.31863936396437514),
                    Map.entry(Map.<String, Object>of("zFormula", "karimireddy"), 0.0),
                    Map.entry(Map.<String, Object>of("z", 1.5), 1.5))) {
                double[] expected = new double[mu.length];
                for (int j = 0; j < mu.length; j++) {
                    expected[j] = mu[j] - c.getValue() * sigma[j];
                }
                assertAllSend(expected, create("alie", c.getKey()).forge(observe(honest, 2)), 2);
            }
            assertEquals(Map.of("zFormula", "paper"), create("alie", Map.of()).params());
        }

        @Test
        void needsTwoHonestUpdatesAndOneZ() {
            assertThrows(AttackNotApplicableException.class, () -> create("alie", Map.of()).forge(observe(rows(4, 1, 3), 1)));
            IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                    () -> create("alie", Map.of("z", 1.0, "zFormula", "paper")));
            assertEquals("byzantine.attackParams.z and byzantine.attackParams.zFormula exclude each other",
                    both.getMessage());
        }
    }

    @Test
    void mimicCopiesTheChosenHonestUpdate() {
        List<float[]> honest = rows(5, 4, 6);
        List<float[]> forged = create("mimic", Map.of("target", 2)).forge(observe(honest, 3));
        assertEquals(3, forged.size());
        forged.forEach(row -> assertArrayEquals(honest.get(2), row));
        assertArrayEquals(honest.getFirst(), create("mimic", Map.of()).forge(observe(honest, 1)).getFirst());
        assertThrows(AttackNotApplicableException.class, () -> create("mimic", Map.of("target", 4)).forge(observe(honest, 1)));
    }

    @Test
    void gaussianDrawsOneVectorFromTheRoundsSeedForEveryByzantineParticipant() {
        Attack gaussian = create("gaussian", Map.of("mean", 0.5, "sigma", 2.0));
        int d = 20_000;
        Observation o = new Observation(42, d, List.of(), 2, List.of(), NO_TRIAL);
        List<float[]> forged = gaussian.forge(o);
        assertSame(forged.get(0), forged.get(1), "the same vector");
        var random = Seeds.generator(42);
        double sum = 0, squares = 0;
        for (int j = 0; j < d; j++) {
            assertEquals((float) (0.5 + 2.0 * random.nextGaussian()), forged.getFirst()[j]);
            sum += forged.getFirst()[j];
            squares += (forged.getFirst()[j] - 0.5) * (forged.getFirst()[j] - 0.5);
        }
        assertEquals(0.5, sum / d, 0.05);
        assertEquals(2.0, Math.sqrt(squares / d), 0.05);
        assertArrayEquals(forged.getFirst(), gaussian.forge(o).getFirst(), "the same seed draws the same vector");
        assertFalse(Arrays.equals(forged.getFirst(),
                gaussian.forge(new Observation(43, d, List.of(), 2, List.of(), NO_TRIAL)).getFirst()));
        assertEquals(Map.of("mean", 0.0, "sigma", 1.0), create("gaussian", Map.of()).params(), "ByzFL's defaults");
    }

    @Test
    void infinitySendsPositiveInfinityEverywhere() {
        List<float[]> forged = create("infinity", Map.of()).forge(observe(rows(6, 2, 5), 2));
        for (float[] row : forged) {
            for (float v : row) {
                assertEquals(Float.POSITIVE_INFINITY, v);
            }
        }
    }

    @Test
    void labelFlippersTrainOnFlippedLabelsAndSendTheirOwnUpdates() {
        Attack flipping = create("label-flipping", Map.of());
        assertEquals(Attack.Training.FLIPPED_LABELS, flipping.training());
        List<float[]> own = rows(7, 2, 4);
        assertEquals(own, flipping.forge(new Observation(1, 4, rows(8, 3, 4), 2, own, NO_TRIAL)));
        assertThrows(AttackNotApplicableException.class, () -> flipping.forge(observe(rows(8, 3, 4), 2)));
        assertEquals(Attack.Training.NONE, create("alie", Map.of()).training());
    }

    @Test
    void badSettingsNameTheField() {
        assertEquals("byzantine.attack must be one of " + Attacks.names() + ", got lie",
                assertThrows(IllegalArgumentException.class, () -> create("lie", Map.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> create("ipm", Map.of("epsilon", 0)))
                .getMessage().startsWith("byzantine.attackParams.epsilon must be in (0, "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> create("ipm", Map.of("eps", 1)))
                .getMessage().contains("unknown field(s) [eps]"));
        assertEquals("byzantine.attackParams.delta must not be 0",
                assertThrows(IllegalArgumentException.class, () -> create("optimal-ipm", Map.of("delta", 0)))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> create("gaussian", Map.of("sigma", -1)))
                .getMessage().startsWith("byzantine.attackParams.sigma must be in [0, "));
    }

    @Nested
    class LineSearched {

        @Test
        void theSearchExpandsThenContractsAsDocumented() {
            // Objective -|tau - 33| from 0, step 10, ratio 0.5, 8 evaluations:
            //   0 (-33); 10 (-23, better: step 20); 30 (-3, better: step 40); 70 (-37, worse: step 20, contract);
            //   50 (-17, step 10); 40 (-7, step 5); 35 (-2, better, step 2.5); 37.5 (-4.5). Best: 35.
            List<Double> tried = new ArrayList<>();
            double best = new LineSearch(8, 0, 10, 0.5).argmax(tau -> {
                tried.add(tau);
                return -Math.abs(tau - 33);
            });
            assertEquals(List.of(0.0, 10.0, 30.0, 70.0, 50.0, 40.0, 35.0, 37.5), tried);
            assertEquals(35, best);
            assertEquals(new LineSearch(20, 0, 10, 0.8), LineSearch.DEFAULT, "ByzFL's defaults");
            assertEquals(-35, new LineSearch(8, 0, -10, 0.5).argmax(tau -> -Math.abs(tau + 33)), "delta's sign leads");
            assertEquals(0, new LineSearch(1, 0, 10, 0.5).argmax(tau -> tau), "one evaluation: the start");
        }

        /**
         * One honest value set {1, 2, 3} (mu = 2, sigma = 1) and one Byzantine participant under the mean of the
         * admitted updates, where admission refuses |x| > 20: IPM's -tau mu = -2 tau is admitted up to tau = 10, and
         * then moves the mean furthest, to (6 - 20) / 4 = -3.5; beyond, the mean is the honest 2 again.
         */
        private final Observation.Trial meanAdmittingUpTo20 = rows -> {
            double sum = 6;
            int n = 3;
            for (float[] row : rows) {
                if (Math.abs(row[0]) <= 20) {
                    sum += row[0];
                    n++;
                }
            }
            return Optional.of(new double[] {sum / n});
        };

        private final List<float[]> honest = List.of(new float[] {1}, new float[] {2}, new float[] {3});

        @Test
        void optimalIpmPicksTheLargestFactorTheServerStillAdmits() {
            Observation o = new Observation(1, 1, honest, 1, List.of(), meanAdmittingUpTo20);
            // Step 10 from 0: 0 (distance 0), 10 (5.5, better), 30 (refused: 0): contraction with 8, 6.4, ... never
            // beats 10 again within 3 evaluations, which are 0, 10, 30.
            LineSearchedAttack ipm = LineSearchedAttack.ipm(new LineSearch(3, 0, 10, 0.8));
            assertEquals(10, ipm.factor(o));
            assertArrayEquals(new float[] {-20}, ipm.forge(o).getFirst());
            // ByzFL's defaults: 0, 10 (better, step 20), 30 (refused, step 16), 26, 22.8, 20.24 (refused), then from
            // 10:
            // 10 + 8.192 = 18.192 would be refused too (|x| = 36.4 > 20) ... every later candidate lies above 10.
            assertEquals(10, LineSearchedAttack.ipm(LineSearch.DEFAULT).factor(o));
        }

        @Test
        void optimalAlieKeepsTheFirstFactorOfAPlateau() {
            // Under the median of {1, 2, 3, 2 + tau}: tau >= 1 gives (2 + 3) / 2 = 2.5, distance 0.5 from mu, the most
            // any tau reaches; the search finds it at 10 and keeps it, as 30, 26, ... only tie.
            Observation.Trial median = rows -> {
                double[] v = {1, 2, 3, rows.getFirst()[0]};
                Arrays.sort(v);
                return Optional.of(new double[] {(v[1] + v[2]) / 2});
            };
            Observation o = new Observation(1, 1, honest, 1, List.of(), median);
            LineSearchedAttack alie = LineSearchedAttack.alie(LineSearch.DEFAULT);
            assertEquals(10, alie.factor(o));
            assertArrayEquals(new float[] {12}, alie.forge(o).getFirst(), "mu + 10 sigma");
            assertEquals(Map.of("evals", 20, "start", 0.0, "delta", 10.0, "ratio", 0.8), alie.params());
        }

        @Test
        void aCandidateThePipelineCannotAggregateNeverWins() {
            Observation o = new Observation(1, 1, honest, 1, List.of(), rows -> rows.getFirst()[0] < -5
                    ? Optional.empty() : Optional.of(new double[] {rows.getFirst()[0]}));
            // -2 tau: the distance |-2 tau - 2| grows with tau, but tau > 2.5 cannot be aggregated: after tau = 0
            // every candidate (10, 8, 6.4, 5.12) fails, so the search stays at the start.
            assertEquals(0, LineSearchedAttack.ipm(new LineSearch(5, 0, 10, 0.8)).factor(o));
        }
    }
}
