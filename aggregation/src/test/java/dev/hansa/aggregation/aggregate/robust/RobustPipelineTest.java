package dev.hansa.aggregation.aggregate.robust;

import static dev.hansa.aggregation.aggregate.robust.RobustRows.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules beyond Flower composed through {@link AggregationPipeline} from config maps. */
class RobustPipelineTest {

    static Stream<String> aggregators() {
        return Stream.of(GeometricMedian.NAME, CenteredClipping.NAME, MinimumDiameterAveraging.NAME,
                CovarianceFilter.NAME, SmallestMaximumEigenvalueAveraging.NAME, Meamed.NAME);
    }

    static Stream<List<String>> chains() {
        return Stream.of(List.of(), List.of("nnm"), List.of("clipping"), List.of("arc"), List.of("clipping", "nnm"),
                List.of("arc", "nnm"), List.of("arc", "bucketing"));
    }

    @Test
    void staticClippingThenNnmThenGeometricMedianMatchesTheReferencesChained() {
        List<float[]> rows = RobustRows.gaussian(9, 80, 11, 20, 2);
        double[][] expected = NearestNeighbourMixingTest.nnm(StaticClippingTest.clip(RobustRows.doubles(rows), 25), 2);
        double[] actual = RobustRows.throughPipeline(Map.of("aggregator", "geomed", "f", 2,
                "aggregatorParams", Map.of("iterations", 20), "preAggregators", List.of(
                        Map.of("name", "clipping", "c", 25), Map.of("name", "nnm"))), rows);
        assertClose(RobustRows.weiszfeld(expected, NearestNeighbourMixingTest.uniform(9), 0.1, 20), actual, 1e-6);
    }

    @Test
    void arcThenCenteredClippingMatchesTheReferencesChained() {
        List<float[]> rows = RobustRows.gaussian(8, 60, 12, 5, 2);
        double[][] clipped = AdaptiveRobustClippingTest.arc(RobustRows.doubles(rows), 2);
        double[] expected = CenteredClippingTest.centeredClipping(clipped, CenteredClippingTest.median(clipped), 4, 3);
        double[] actual = RobustRows.throughPipeline(Map.of("aggregator", "centered-clipping", "f", 2,
                "aggregatorParams", Map.of("tau", 4), "preAggregators", List.of(Map.of("name", "arc"))), rows);
        assertClose(expected, actual, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("aggregators")
    void eachRuleKeepsTwoFarOutliersFromMovingTheAggregate(String name) {
        // Seven updates around 0 with unit spread, two 20 times farther: the mean moves by about 2 * 20 * sqrt(d) / 9.
        List<float[]> rows = RobustRows.gaussian(9, 20, 13, 0, 2);
        double[][] x = RobustRows.doubles(rows);
        double[] honest = RobustRows.mean(x, new int[] {2, 3, 4, 5, 6, 7, 8});
        double[] mean = RobustRows.mean(x, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
        double[] robust = RobustRows.throughPipeline(Map.of("aggregator", name, "f", 2), rows);
        assertTrue(RobustRows.distance(robust, honest) < RobustRows.distance(mean, honest) / 5,
                name + ": " + RobustRows.distance(robust, honest) + ", the mean: " + RobustRows.distance(mean, honest));
    }

    static Stream<Object[]> rulesBehindChains() {
        return aggregators().flatMap(a -> chains().map(c -> new Object[] {a, c}));
    }

    @ParameterizedTest
    @MethodSource("rulesBehindChains")
    void everyRuleRunsBehindEveryChainTheSameTwice(String aggregator, List<String> chain) {
        List<float[]> rows = RobustRows.gaussian(11, 33, 14, 10, 1);
        Map<String, Object> config = Map.of("aggregator", aggregator, "f", 1, "preAggregators",
                chain.stream().map(p -> Map.of("name", p)).toList());
        double[] once = RobustRows.throughPipeline(config, rows);
        for (double v : once) {
            assertTrue(Double.isFinite(v), aggregator + " behind " + chain);
        }
        assertArrayEquals(once, RobustRows.throughPipeline(config, rows), aggregator + " behind " + chain);
    }

    @Test
    void aChainStatesTheFirstStepThatGetsTooFewUpdates() {
        AggregationPipeline.Settings mda = Aggregators.robustness(Map.of("aggregator", "mda", "f", 2,
                "preAggregators", List.of(Map.of("name", "nnm"))));
        assertEquals("mda with f = 2 needs n > 2f (at least 5 updates), gets 4", mda.shortfall(4).orElseThrow());
        assertTrue(mda.shortfall(5).isEmpty());
        AggregationPipeline.Settings arc = Aggregators.robustness(Map.of("aggregator", "meamed", "f", 3,
                "preAggregators", List.of(Map.of("name", "arc"), Map.of("name", "nnm"))));
        assertEquals("arc with f = 3 needs n >= f (at least 3 updates), gets 2", arc.shortfall(2).orElseThrow());
        assertEquals("nnm with f = 3 needs n > f (at least 4 updates), gets 3", arc.shortfall(3).orElseThrow());
        assertEquals("meamed with f = 3 needs n > 2f (at least 7 updates), gets 6", arc.shortfall(6).orElseThrow());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RobustRows.throughPipeline(
                Map.of("aggregator", "geomed", "f", 2), RobustRows.gaussian(4, 3, 1, 0, 0)));
        assertTrue(e.getMessage().contains("geomed with f = 2 needs n > 2f"), e.getMessage());
    }

    @Test
    void theRoundRecordsEveryParameterWithItsDefault() {
        Map<String, Object> recorded = Aggregators.robustness(Map.of("aggregator", "centered-clipping",
                "f", 1, "aggregatorParams", Map.of("tau", 5), "preAggregators", List.of(
                        Map.of("name", "clipping", "c", 3), Map.of("name", "arc"), Map.of("name", "nnm")))).toMap();
        assertEquals(Map.of("tau", 5.0, "iterations", 3, "start", "median"), recorded.get("aggregatorParams"));
        assertEquals(List.of(Map.of("name", "clipping", "c", 3.0), Map.of("name", "arc"), Map.of("name", "nnm")),
                recorded.get("preAggregators"));
    }

    @Test
    void aParameterARuleDoesNotTakeIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Aggregators.robustness(Map.of("preAggregators", List.of(Map.of("name", "nnm", "k", 3)))));
        assertTrue(e.getMessage().startsWith("robustness.preAggregators[0]: unknown field(s) [k]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Aggregators.robustness(Map.of(
                "aggregator", "mda", "aggregatorParams", Map.of("bound", 10))));
        assertTrue(e.getMessage().startsWith("robustness.aggregatorParams: unknown field(s) [bound]"), e.getMessage());
    }
}
