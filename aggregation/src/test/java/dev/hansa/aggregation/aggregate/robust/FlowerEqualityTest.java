package dev.hansa.aggregation.aggregate.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.hansa.aggregation.aggregate.Aggregator;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import dev.hansa.aggregation.config.Hyperparameters;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hansa's robust rules against the outputs of Flower's {@code aggregate.py} (median, trimmed mean, Krum, Multi-Krum,
 * Bulyan) on one fixed input of 15 updates of 50 values, three of them outliers, recorded by
 * {@code aggregation/bin/flower_robust_vectors.py} in {@code robust/flower-vectors.json}. Flower ran in double on the
 * same float values, so the outputs agree to rounding.
 *
 * <p>Each case configures Hansa to Flower's setting, where Flower's definitions differ from Hansa's:
 * <ul>
 *   <li>{@code aggregate_trimmed_avg} takes a proportion p and trims {@code floor(p n)} per side: Hansa's
 *   {@code trim} is that count (3 for p = 0.2, 1 for p = 0.1 of 15).</li>
 *   <li>{@code aggregate_krum} scores with {@code max(1, n - f - 2)} neighbours, the paper's n - f - 2 wherever
 *   Krum's bound n > 2f + 2 holds, which Hansa requires.</li>
 *   <li>{@code aggregate_krum} with {@code to_keep = m} (Multi-Krum) weights the kept updates by num_examples, Hansa's
 *   {@code multi-krum} not: with equal num_examples the outputs agree; with the input's unequal ones, Flower's output
 *   is the num_examples-weighted mean of the very updates Hansa keeps, and Hansa's own output differs from it.</li>
 *   <li>{@code aggregate_bulyan} with {@code aggregate_krum} follows the paper's theta = n - 2f and beta = theta - 2f
 *   and scores the last, small remaining sets with at least one neighbour, as Hansa's {@code bulyan} does.</li>
 * </ul>
 */
class FlowerEqualityTest {

    private static final JsonNode VECTORS = read();

    private static JsonNode read() {
        try (InputStream in = FlowerEqualityTest.class.getResourceAsStream("/robust/flower-vectors.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }

    /** The first {@code count} input rows, weighted by their num_examples or all alike. */
    private static HeapBatch batch(int count, boolean equalWeights) {
        List<float[]> rows = new ArrayList<>();
        double[] weights = new double[count];
        for (int i = 0; i < count; i++) {
            double[] row = doubles(VECTORS.get("rows").get(i));
            float[] values = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                values[j] = (float) row[j];
                assertEquals(row[j], values[j], 0, "the input holds float values");
            }
            rows.add(values);
            weights[i] = equalWeights ? 1 : VECTORS.get("num_examples").get(i).doubleValue();
        }
        return new HeapBatch(rows, weights, rows.getFirst().length);
    }

    private static Aggregator hansa(JsonNode config) {
        String name = config.get("aggregator").asString();
        @SuppressWarnings("unchecked")
        Map<String, Object> params = config.has("aggregatorParams")
                ? JsonMapper.builder().build().treeToValue(config.get("aggregatorParams"), Map.class) : Map.of();
        return Aggregators.aggregator(name, new Hyperparameters("robustness.aggregatorParams", name, params),
                config.get("f").intValue());
    }

    @TestFactory
    Stream<DynamicTest> hansaGivesFlowersOutputs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : VECTORS.get("cases")) {
            String name = c.get("name").asString();
            boolean weightedMultiKrum = name.endsWith("weighted by num_examples");
            tests.add(dynamicTest(name + ": " + c.get("flower").asString(), () -> {
                HeapBatch batch = batch(c.get("rows").intValue(), c.get("equal_num_examples").booleanValue());
                WholeRoundAggregator rule = (WholeRoundAggregator) hansa(c.get("hansa"));
                double[] flower = doubles(c.get("output"));
                double[] ours = rule.aggregate(batch);
                if (!weightedMultiKrum) {
                    assertArrayEquals(flower, ours, 1e-12);
                    return;
                }
                double[] kept = keptByHansaWeighted(batch, c.get("hansa"));
                assertArrayEquals(flower, kept, 1e-12, "Flower weights the updates Hansa keeps by num_examples");
                assertTrue(maxDifference(flower, ours) > 1e-3, "Hansa's plain mean differs from Flower's weighted one");
            }));
        }
        assertEquals(12, tests.size(), "every case of the vectors file");
        return tests.stream();
    }

    /** The num_examples-weighted mean of the m updates Hansa's Multi-Krum keeps. */
    private static double[] keptByHansaWeighted(HeapBatch batch, JsonNode config) {
        int f = config.get("f").intValue();
        int m = config.get("aggregatorParams").get("m").intValue();
        int[] ranking = KrumScores.ranking(Krum.scores(batch, f));
        double[] weights = batch.weights();
        double total = 0;
        for (int r = 0; r < m; r++) {
            total += weights[ranking[r]];
        }
        double[] a = new double[batch.size()];
        for (int r = 0; r < m; r++) {
            a[ranking[r]] = weights[ranking[r]] / total;
        }
        return batch.combine(a);
    }

    private static double maxDifference(double[] x, double[] y) {
        double max = 0;
        for (int j = 0; j < x.length; j++) {
            max = Math.max(max, Math.abs(x[j] - y[j]));
        }
        return max;
    }
}
