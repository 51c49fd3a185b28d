package dev.hansa.aggregation.strategy.fetchsgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.RoundAggregate;
import dev.hansa.aggregation.random.Philox;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.RoundContext;
import dev.hansa.aggregation.strategy.RoundResult;
import dev.hansa.aggregation.strategy.Strategy;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.TensorSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.testing.Aggregates;
import dev.hansa.aggregation.update.Update;
import dev.hansa.aggregation.update.UpdateSpec;
import dev.hansa.aggregation.update.codec.CountSketch;
import dev.hansa.aggregation.update.codec.FetchSgdCodec;
import dev.hansa.aggregation.update.codec.UpdateCodec;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FetchSGD's server round, against an independent double-precision recomputation of its rule. */
class FetchSgdTest {

    private static final ModelSpec MODEL = ModelSpec.of(new TensorSpec("w", new int[] {30, 10}),
            new TensorSpec("b", new int[] {7}));
    private static final int D = MODEL.parameterCount();
    private static final int ROWS = 4;
    private static final int COLUMNS = 40;
    private static final long HASH_SEED = 7;
    private static final int K = 12;
    private static final double RHO = 0.9;
    private static final double ETA = 0.5;

    private static UpdateSpec update(int rows, int columns, long hashSeed) {
        return new UpdateSpec("fetchsgd", 0, false, 0, Map.of("rows", (double) rows, "columns", (double) columns,
                "hashSeed", (double) hashSeed));
    }

    private static Strategy strategy(Map<String, Object> params, UpdateSpec update) {
        return Strategies.create("fetchsgd", params).forUpdate(update);
    }

    /** What the server aggregates from these clients' updates: each sent through the codec, weighted by samples. */
    private static RoundAggregate aggregate(Strategy strategy, UpdateCodec codec, List<float[]> updates,
                                            long[] samples) {
        Aggregates a = Aggregates.of(strategy, codec.decodedSpec(MODEL));
        for (int c = 0; c < updates.size(); c++) {
            Map<String, String> meta = Map.of("num_samples", Long.toString(samples[c]));
            byte[] wire = codec.encode(new Tensors(MODEL, updates.get(c)), meta);
            Tensors table = codec.decode(MemorySegment.ofArray(wire), MODEL).values();
            a.add(new Update("c" + c, FetchSgd.TRAIN, table, samples[c], Map.of()));
        }
        return a.result();
    }

    @Test
    void matchesTheTestVectorInTheProtocol() {
        // One row of 2 columns, hashSeed 1: (column, sign) of the 4 coordinates (0, +), (1, -), (0, -), (0, +), as
        // `philox_reference.py countsketch 0x1 1 2 4` prints them. x = {4, 1, -2, 0.5}: S = {4 + 2 + 0.5, -1}.
        ModelSpec vector = ModelSpec.of(new TensorSpec("w", new int[] {4}));
        UpdateCodec codec = update(1, 2, 1).createCodec().forParticipant(99);
        byte[] bytes = codec.encode(new Tensors(vector, new float[] {4, 1, -2, 0.5f}), Map.of("num_samples", "7"));
        assertEquals("48554601" + "08" + "6665746368736764" + "04000000" + "0100" + "0b00"
                + "6e756d5f73616d706c6573" + "0100" + "37" + "08000000" + "0000d040" + "000080bf",
                HexFormat.of().formatHex(bytes));
        Tensors table = codec.decode(MemorySegment.ofArray(bytes), vector).values();
        assertEquals(ModelSpec.of(new TensorSpec(FetchSgdCodec.TABLE, new int[] {1, 2})), table.spec());
        assertArrayEquals(new float[] {6.5f, -1}, table.values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zero", "subtract"})
    void threeRoundsEqualADoublePrecisionRecomputation(String errorReset) {
        UpdateSpec spec = update(ROWS, COLUMNS, HASH_SEED);
        Strategy fetch = strategy(Map.of("k", K, "serverMomentum", RHO, "serverLearningRate", ETA,
                "errorReset", errorReset), spec);
        UpdateCodec codec = spec.createCodec().forParticipant(123);
        Reference ref = new Reference(errorReset.equals("subtract"));
        Random r = new Random(61);
        float[] x0 = new float[D];
        for (int i = 0; i < D; i++) {
            x0[i] = (float) r.nextGaussian();
        }
        Tensors model = new Tensors(MODEL, x0);
        State state = fetch.initialState(model);
        ref.x = x0.clone();
        long[] samples = {3, 10, 6};
        int resetCells = 0;
        for (int round = 1; round <= 3; round++) {
            List<float[]> updates = new ArrayList<>();
            for (int c = 0; c < samples.length; c++) {
                float[] v = new float[D];
                for (int i = 0; i < D; i++) {
                    v[i] = (float) (r.nextGaussian() * Math.exp(2 * r.nextGaussian()));
                }
                updates.add(v);
            }
            RoundResult result = fetch.finishRound(new RoundContext(round, 3, 3, round), model, state,
                    aggregate(fetch, codec, updates, samples));
            resetCells += ref.round(updates, samples);
            model = result.model();
            state = result.state();
            assertArrayEquals(ref.x, model.values(), 1e-5f, "model after round " + round);
            assertArrayEquals(ref.u, state.tensor(FetchSgd.MOMENTUM).orElseThrow().values(), 1e-4f,
                    "momentum after round " + round);
            assertArrayEquals(ref.e, state.tensor(FetchSgd.ERROR).orElseThrow().values(), 1e-4f,
                    "error after round " + round);
            assertEquals(3.0, result.metrics().get("clients"));
        }
        assertTrue(resetCells > K, "the applied update's cells were reset: " + resetCells);
    }

    /** The rule written out in double from the documented hashes, float32 where the state and the wire are. */
    private static final class Reference {
        final int[][] column = new int[ROWS][D];
        final int[][] sign = new int[ROWS][D];
        final boolean subtract;
        float[] x;
        float[] u = new float[ROWS * COLUMNS];
        float[] e = new float[ROWS * COLUMNS];

        Reference(boolean subtract) {
            this.subtract = subtract;
            for (int j = 0; j < ROWS; j++) {
                Philox p = Philox.stream(HASH_SEED, CountSketch.STREAM << 8 | j);
                for (int i = 0; i < D; i++) {
                    column[j][i] = p.nextInt(COLUMNS);
                    sign[j][i] = p.nextSign();
                }
            }
        }

        double[] table(float[] v) {
            double[] t = new double[ROWS * COLUMNS];
            for (int j = 0; j < ROWS; j++) {
                for (int i = 0; i < D; i++) {
                    t[j * COLUMNS + column[j][i]] += sign[j][i] * (double) v[i];
                }
            }
            return t;
        }

        /** One round; returns how many cells the applied update touched. */
        int round(List<float[]> updates, long[] samples) {
            double[] mean = new double[ROWS * COLUMNS];
            double total = Arrays.stream(samples).sum();
            for (int c = 0; c < updates.size(); c++) {
                double[] t = table(updates.get(c));
                for (int cell = 0; cell < mean.length; cell++) {
                    mean[cell] += samples[c] * (double) (float) t[cell] / total;
                }
            }
            for (int cell = 0; cell < mean.length; cell++) {
                u[cell] = (float) (RHO * u[cell] + mean[cell]);
                e[cell] = (float) ((double) e[cell] + u[cell]);
            }
            double[] estimate = new double[D];
            for (int i = 0; i < D; i++) {
                double[] perRow = new double[ROWS];
                for (int j = 0; j < ROWS; j++) {
                    perRow[j] = sign[j][i] * (double) e[j * COLUMNS + column[j][i]];
                }
                Arrays.sort(perRow);
                estimate[i] = perRow[(ROWS - 1) / 2];
            }
            int[] kept = IntStream.range(0, D).boxed().sorted(Comparator.<Integer>comparingDouble(
                    i -> -Math.abs(estimate[i])).thenComparing(i -> i)).limit(K).mapToInt(i -> i).toArray();
            float[] delta = new float[D];
            for (int i : kept) {
                delta[i] = (float) estimate[i];
                x[i] = (float) (x[i] + ETA * delta[i]);
            }
            double[] applied = table(delta);
            boolean[] touched = new boolean[ROWS * COLUMNS];
            for (int i : kept) {
                for (int j = 0; j < ROWS; j++) {
                    touched[j * COLUMNS + column[j][i]] = true;
                }
            }
            int count = 0;
            for (int cell = 0; cell < touched.length; cell++) {
                if (touched[cell]) {
                    count++;
                    u[cell] = 0;
                    e[cell] = subtract ? (float) (e[cell] - applied[cell]) : 0;
                }
            }
            return count;
        }
    }

    @Test
    void theSketchOfASumIsTheSumOfTheSketchesAndTheRoundSumsTables() {
        Random r = new Random(62);
        float[] a = new float[D];
        float[] b = new float[D];
        float[] sum = new float[D];
        for (int i = 0; i < D; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
            sum[i] = a[i] + b[i];
        }
        CountSketch sketch = new CountSketch(ROWS, COLUMNS, HASH_SEED);
        double[] sa = sketch.sketch(a);
        double[] sb = sketch.sketch(b);
        double[] ss = sketch.sketch(sum);
        for (int cell = 0; cell < ss.length; cell++) {
            assertEquals(sa[cell] + sb[cell], ss[cell], 1e-5, "cell " + cell);
        }
        // The round's aggregate is the sample-weighted mean of the tables: the table of the weighted mean update.
        UpdateSpec spec = update(ROWS, COLUMNS, HASH_SEED);
        Strategy fetch = strategy(Map.of(), spec);
        double[] mean = aggregate(fetch, spec.createCodec(), List.of(a, b), new long[] {1, 3}).role(FetchSgd.TRAIN)
                .orElseThrow().mean();
        float[] weighted = new float[D];
        for (int i = 0; i < D; i++) {
            weighted[i] = (float) ((a[i] + 3.0 * b[i]) / 4);
        }
        double[] expected = sketch.sketch(weighted);
        for (int cell = 0; cell < expected.length; cell++) {
            assertEquals(expected[cell], mean[cell], 1e-5, "cell " + cell);
        }
    }

    @Test
    void recoversHeavyHittersThatNoClientSendsAloneFromTheMergedSketch() {
        // 20 heavy coordinates among 100,000 (a 5 x 2500 sketch), each sent by one of 5 clients (4 each), all with
        // noise: the merged table's 20 largest estimates are exactly those coordinates, at their means over the
        // clients.
        int d = 100_000;
        ModelSpec model = ModelSpec.of(new TensorSpec("v", new int[] {d}));
        Random r = new Random(63);
        int[] heavy = r.ints(0, d).distinct().limit(20).toArray();
        float[] planted = new float[d];
        for (int i : heavy) {
            planted[i] = (float) ((1 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1));
        }
        UpdateSpec spec = update(5, 2500, 3);
        Strategy fetch = strategy(Map.of("k", 20, "serverMomentum", 0.0), spec);
        UpdateCodec codec = spec.createCodec();
        Aggregates a = Aggregates.of(fetch, codec.decodedSpec(model));
        for (int c = 0; c < 5; c++) {
            float[] v = new float[d];
            for (int i = 0; i < d; i++) {
                v[i] = (float) (0.01 * r.nextGaussian());
            }
            for (int n = 4 * c; n < 4 * c + 4; n++) {
                v[heavy[n]] += 5 * planted[heavy[n]];
            }
            a.add(new Update("c" + c, FetchSgd.TRAIN, codec.reconstruct(new Tensors(model, v)), 1, Map.of()));
        }
        Tensors start = Tensors.zeros(model);
        RoundResult result = fetch.finishRound(new RoundContext(1, 5, 5, 1), start, fetch.initialState(start),
                a.result());
        float[] x = result.model().values();
        for (int i = 0; i < d; i++) {
            if (planted[i] != 0) {
                assertEquals(planted[i], x[i], 0.05, "heavy coordinate " + i);
            } else {
                assertEquals(0f, x[i], "coordinate " + i + " is not heavy");
            }
        }
    }

    @Test
    void refusesOtherCodecsAndParametersOutOfRangeNamingTheField() {
        assertRefused("update.codec: strategy fetchsgd merges count sketches",
                () -> Strategies.create("fetchsgd", Map.of()).forUpdate(UpdateSpec.DENSE));
        assertRefused("update.codec: fetchsgd sends count sketch tables",
                () -> Strategies.create("fedavg", Map.of()).forUpdate(update(5, 10, 0)));
        assertRefused("strategy.params.k", () -> Strategies.create("fetchsgd", Map.of("k", 1.5)));
        assertRefused("strategy.params.k", () -> Strategies.create("fetchsgd", Map.of("k", 0)));
        assertRefused("strategy.params.serverMomentum", () -> Strategies.create("fetchsgd",
                Map.of("serverMomentum", 1)));
        assertRefused("strategy.params.errorReset", () -> Strategies.create("fetchsgd", Map.of("errorReset", "half")));
        assertRefused("update.errorFeedback", () -> new UpdateSpec("fetchsgd", 0, true, 0, Map.of()));
        assertRefused("update.params.columns", () -> update(5, 0, 0));
        assertRefused("update.params.rows", () -> update(32, 10, 0));
        assertRefused("update.params.hashSeed", () -> update(5, 10, -1));
        assertThrows(IllegalStateException.class, () -> Strategies.create("fetchsgd", Map.of())
                .initialState(Tensors.zeros(MODEL)));
    }

    @Test
    void aFederationGetsTheCodecFromThePresetAndIsRefusedRobustRulesAndPrivacy() {
        RoundConfig.Sampling poisson = new RoundConfig.Sampling("poisson", 0.1, 1, 10);
        RoundConfig.Configured preset = RoundConfig.configure("fetchsgd", Map.of(), Map.of(),
                Map.of("params", Map.of("columns", 64)), Map.of(), poisson);
        assertEquals(Map.of("codec", "fetchsgd", "clipNorm", 0.0, "errorFeedback", false,
                "params", Map.of("columns", 64.0, "rows", 5.0, "hashSeed", 0.0)), preset.pipeline().get("update"));
        assertEquals(ModelSpec.of(new TensorSpec(FetchSgdCodec.TABLE, new int[] {5, 64})),
                preset.protocol().decodedSpec(MODEL));
        assertRefused("robustness.aggregator: strategy fetchsgd needs the exact sum", () -> RoundConfig.configure(
                "fetchsgd", Map.of(), Map.of(), Map.of(), Map.of("aggregator", "median"), poisson));
        assertRefused("privacy: strategy fetchsgd sums count sketches", () -> RoundConfig.configure("fetchsgd",
                Map.of("weighting", "uniform"), Map.of(), Map.of(), Map.of(), Map.of("noiseMultiplier", 1.0,
                        "clipNorm", 1.0, "delta", 1e-5), poisson, 10));
        assertRefused("update.codec: strategy fetchsgd merges count sketches", () -> RoundConfig.configure(
                "fetchsgd", Map.of(), Map.of(), Map.of("codec", "countsketch", "k", 0.1,
                        "params", Map.of("columns", 64)), Map.of(), poisson));
    }

    private static void assertRefused(String field, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
