package dev.hansa.aggregation.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.attack.Attack;
import dev.hansa.aggregation.attack.Attacks;
import dev.hansa.aggregation.attack.Observation;
import dev.hansa.aggregation.config.Hyperparameters;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.InvalidUpdateException;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The line-searched attacks' trial along a line ({@link ByzantineTrial#along}: the honest rows' and the line's
 * geometry computed once per round) on random rounds through the federation's configured pipeline, against two
 * references: the same rules on the round's actual rows with their geometry computed in double (the attack must
 * choose the same factor, or one that scores the same to rounding, and every factor's aggregate must agree to 1e-6),
 * and the full trial per factor that the attacks ran before ({@link ByzantineTrial#aggregate}, a float Gram of the
 * rows), which must agree to 1e-4 where its Gram is accurate.
 */
class ByzantineTrialTest {

    private static final int D = 3000;
    private static final ModelSpec SPEC = ModelSpec.of(new TensorSpec("w", new int[] {D}));
    private static final String ROLE = "train";
    /**
     * Coordinates where Meamed may part from the reference. After NNM a column holds groups of equal values, and two
     * of them can lie exactly as far from the median, a tie its rule breaks by keeping the lower end; a one-ulp
     * difference in one mixed value turns it. The line trial clips the Byzantine rows by the norm of the row before
     * its rounding to float (about 1e-8 relative from the reference's), and since a mix of mixes is rounded to float
     * once, that difference can reach the last bit of a mixed value (factor 1.3 in one of the rounds: one value of
     * column 1005, 0.00840567 against 0.0084056705, moves the window and the mean from 0.00772 to 0.00751; at most
     * one such coordinate per factor in these rounds).
     */
    private static final int MEAMED_TIES = 2;

    /** A round of {@code honest} random updates with a common offset and {@code f} Byzantine ids among them. */
    private record Round(List<String> ids, Set<String> byzantine, Map<String, Update> sent) {

        static Round random(long seed, int honest, int f) {
            Random r = new Random(seed);
            double[] offset = new double[D];
            for (int j = 0; j < D; j++) {
                offset[j] = 0.02 * r.nextGaussian();
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < honest + f; i++) {
                ids.add(String.format("c%02d", i));
            }
            Collections.shuffle(ids, r);
            Set<String> byzantine = new TreeSet<>(ids.subList(0, f));
            Collections.sort(ids);
            Map<String, Update> sent = new HashMap<>();
            for (String id : ids) {
                if (!byzantine.contains(id)) {
                    float[] row = new float[D];
                    double scale = 0.01 * (1 + r.nextDouble());
                    for (int j = 0; j < D; j++) {
                        row[j] = (float) (offset[j] + scale * r.nextGaussian());
                    }
                    sent.put(id, new Update(id, ROLE, new Tensors(SPEC, row), 10 + r.nextInt(50), Map.of()));
                }
            }
            return new Round(ids, byzantine, sent);
        }

        List<float[]> honestRows() {
            return ids.stream().filter(id -> !byzantine.contains(id)).map(id -> sent.get(id).values().values())
                    .toList();
        }
    }

    private static AggregationPipeline pipeline(String aggregator, String pre, int f, double maxNorm, String policy) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (String name : pre.isEmpty() ? new String[0] : pre.split("\\+")) {
            steps.add(name.equals("clipping") ? Map.of("name", name, "c", 0.6) : Map.of("name", name));
        }
        Map<String, Object> robustness = new LinkedHashMap<>();
        robustness.put("aggregator", aggregator);
        robustness.put("f", f);
        robustness.put("preAggregators", steps);
        robustness.put("maxUpdateNorm", maxNorm);
        robustness.put("onNormExceeded", policy);
        return RoundConfig.configure("fedavg", Map.of(), Map.of(), Map.of(), robustness,
                new RoundConfig.Sampling("uniform", 1.0, 10 + f, 10 + f)).protocol().aggregation();
    }

    private static ByzantineTrial trial(AggregationPipeline pipeline, Round round) {
        List<String> byzantine = round.ids.stream().filter(round.byzantine::contains).toList();
        return new ByzantineTrial(pipeline, SPEC, 77, ROLE, round.ids, round.byzantine, round.sent, rows -> {
            Map<String, Update> forged = new HashMap<>();
            for (int k = 0; k < byzantine.size(); k++) {
                forged.put(byzantine.get(k), new Update(byzantine.get(k), ROLE, new Tensors(SPEC, rows.get(k)), 40,
                        Map.of()));
            }
            return forged;
        }, update -> {
            try {
                return Optional.of(pipeline.admit(update, 1000));
            } catch (InvalidUpdateException e) {
                return Optional.empty();
            }
        }, true);
    }

    /**
     * The reference: the full trial's admission and rules on the round's actual (float) rows, with their geometry
     * computed in double from those rows ({@link RowGeometry#inDouble}) instead of the float Gram, whose centre
     * (the rows' mean) far Byzantine rows drag away from the honest ones.
     */
    private static Optional<double[]> exactTrial(AggregationPipeline pipeline, Round round, float[] byzantineRow) {
        List<float[]> rows = new ArrayList<>();
        List<double[]> exact = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double[] centre = new double[D];
        for (String id : round.ids) {
            Update u = round.byzantine.contains(id)
                    ? new Update(id, ROLE, new Tensors(SPEC, byzantineRow), 40, Map.of())
                    : round.sent.get(id);
            AggregationPipeline.Admitted a;
            try {
                a = pipeline.admit(u, 1000);
            } catch (InvalidUpdateException e) {
                continue;
            }
            float[] values = a.update().values().values();
            double[] row = new double[D];
            for (int j = 0; j < D; j++) {
                row[j] = values[j];
                centre[j] += round.byzantine.contains(id) ? 0 : row[j] / (round.ids.size() - round.byzantine.size());
            }
            rows.add(values);
            exact.add(row);
            weights.add(a.weight());
        }
        if (rows.isEmpty() || pipeline.settings().shortfall(rows.size()).isPresent()) {
            return Optional.empty();
        }
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        HeapBatch batch = new HeapBatch(rows, weights.stream().mapToDouble(Double::doubleValue).toArray(), D,
                RowGeometry.inDouble(exact, centre));
        double[] sum = pipeline.settings().wholeRoundSum(batch, 77, total);
        for (int j = 0; j < D; j++) {
            sum[j] /= total;
        }
        return Optional.of(sum);
    }

    private static Observation.Line alieLine(Observation o) {
        return new Observation.Line(o.honestMean(), o.honestStd(), t -> {
            double[] v = o.honestMean();
            double[] s = o.honestStd();
            for (int j = 0; j < D; j++) {
                v[j] += t * s[j];
            }
            return v;
        });
    }

    @ParameterizedTest(name = "{0} after [{1}], f = {2}, {3}, norm bound {4} ({5})")
    @CsvSource({
            "krum, clipping+nnm, 1, optimal-alie, 0, reject",
            "krum, clipping+nnm, 4, optimal-ipm, 0, reject",
            "multi-krum, clipping+nnm, 2, optimal-alie, 0, reject",
            "median, clipping+nnm, 3, optimal-alie, 0, reject",
            "trimmed-mean, clipping+nnm, 2, optimal-ipm, 0, reject",
            "geomed, clipping+nnm, 3, optimal-alie, 0, reject",
            "centered-clipping, clipping+nnm, 2, optimal-ipm, 0, reject",
            "mean, clipping+nnm, 4, optimal-alie, 0, reject",
            "meamed, clipping+nnm, 2, optimal-alie, 0, reject",
            "bulyan, clipping+nnm, 1, optimal-ipm, 0, reject",
            "krum, '', 2, optimal-alie, 0, reject",
            "median, bucketing, 1, optimal-ipm, 0, reject",
            "krum, clipping+nnm, 2, optimal-ipm, 3.5, reject",
    })
    void theLineTrialForgesWhatTheExactTrialForgesAndAgreesWithTheFullTrial(String aggregator, String pre, int f,
                                                                           String attackName, double maxNorm,
                                                                           String policy) {
        Attack attack = Attacks.create(attackName, new Hyperparameters("byzantine.attackParams", attackName, Map.of()));
        for (long seed = 1; seed <= 5; seed++) {
            Round round = Round.random(seed * 31 + f, 10, f);
            AggregationPipeline pipeline = pipeline(aggregator, pre, f, maxNorm, policy);
            ByzantineTrial trial = trial(pipeline, round);
            Observation.Trial exact = rows -> exactTrial(pipeline, round, rows.getFirst());
            List<float[]> viaLine = attack.forge(new Observation(seed, D, round.honestRows(), f, List.of(), trial));
            List<float[]> viaExact = attack.forge(new Observation(seed, D, round.honestRows(), f, List.of(), exact));
            assertEquals(f, viaLine.size());
            if (!Arrays.equals(viaExact.getFirst(), viaLine.getFirst())) {
                // A near-tie that rounding decides: the two factors must score the same, to rounding.
                double[] mu = new Observation(seed, D, round.honestRows(), f, List.of(), exact).honestMean();
                double lineScore = distance(exactTrial(pipeline, round, viaLine.getFirst()).orElseThrow(), mu);
                double exactScore = distance(exactTrial(pipeline, round, viaExact.getFirst()).orElseThrow(), mu);
                assertEquals(exactScore, lineScore, 1e-6 * exactScore, "seed " + seed + ": the chosen factors differ");
            }

            Observation o = new Observation(seed, D, round.honestRows(), f, List.of(), trial);
            Observation.Line line = alieLine(o);
            DoubleFunction<Optional<double[]>> alongLine = trial.along(line, f);
            for (double t : new double[] {0, -0.7, 1.3, 10, 30, 75.5, 700, -3e4, 5e6}) {
                List<float[]> rows = Collections.nCopies(f, line.row(t));
                Optional<double[]> actual = alongLine.apply(t);
                assertClose(exactTrial(pipeline, round, rows.getFirst()), actual, 1e-6,
                        aggregator.equals("meamed") ? MEAMED_TIES : 0, "factor " + t);
                // Where the full trial's float Gram is accurate (Byzantine rows near the honest ones). Not for
                // Meamed: after NNM, rows with the same neighbours hold equal values, and Meamed's tie rule drops the
                // upper end of an exact tie, which the rounding of the clipping factors turns either way.
                if (Math.abs(t) <= 100 && !aggregator.equals("meamed")) {
                    Optional<double[]> full = trial.aggregate(rows);
                    assertEquals(full.isPresent(), actual.isPresent());
                    if (full.isPresent()) {
                        double norm = distance(full.get(), new double[D]);
                        assertEquals(0, distance(full.get(), actual.get()), 1e-4 * norm, "factor " + t);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"median", "krum"})
    void admissionThatClipsRunsTheFullTrialForEveryFactor(String aggregator) {
        Round round = Round.random(5, 10, 2);
        ByzantineTrial trial = trial(pipeline(aggregator, "", 2, 3.5, "clip"), round);
        Observation o = new Observation(1, D, round.honestRows(), 2, List.of(), trial);
        Observation.Line line = alieLine(o);
        DoubleFunction<Optional<double[]>> alongLine = trial.along(line, 2);
        for (double t : new double[] {0, 1.3, 700, 5e6}) {
            assertArrayEquals(trial.aggregate(Collections.nCopies(2, line.row(t))).orElseThrow(),
                    alongLine.apply(t).orElseThrow(), "factor " + t);
        }
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return Math.sqrt(sum);
    }

    /**
     * Both empty, or equal up to {@code tolerance} times the expected aggregate's largest value in all but {@code ties}
     * coordinates.
     */
    private static void assertClose(Optional<double[]> expected, Optional<double[]> actual, double tolerance, int ties,
                                    String what) {
        assertEquals(expected.isPresent(), actual.isPresent(), what);
        if (expected.isEmpty()) {
            return;
        }
        double scale = 0;
        for (double v : expected.get()) {
            scale = Math.max(scale, Math.abs(v));
        }
        List<String> off = new ArrayList<>();
        for (int j = 0; j < D; j++) {
            double diff = Math.abs(expected.get()[j] - actual.get()[j]);
            if (diff > tolerance * scale) {
                off.add("coordinate " + j + " is " + actual.get()[j] + ", the reference's " + expected.get()[j]);
            }
        }
        assertTrue(off.size() <= ties, what + ": " + off);
    }
}
