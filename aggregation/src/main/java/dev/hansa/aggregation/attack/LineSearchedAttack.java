package dev.hansa.aggregation.attack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;

/**
 * ByzFL's "optimal" IPM and ALIE ({@code Optimal_InnerProductManipulation}, {@code Optimal_ALittleIsEnough}; LPD's
 * {@code empire} and {@code little}): the attack vector is taken from a one-parameter family, IPM's
 * {@code -tau mu} or ALIE's {@code mu + tau sigma}, and the factor tau is the one a {@link LineSearch} finds to
 * maximise {@code ||aggregate - mu||}, the distance of the federation's aggregate from the honest mean, where the
 * aggregate is what the federation's configured pipeline (admission, pre-aggregators, aggregator) makes of the
 * honest updates and the Byzantine copies of the candidate. A candidate the pipeline cannot aggregate (admission
 * refused so much that too few updates remain) or whose aggregate is not finite scores negative infinity.
 */
public final class LineSearchedAttack implements Attack {

    public static final String OPTIMAL_IPM = "optimal-ipm";
    public static final String OPTIMAL_ALIE = "optimal-alie";

    /** A line of attack vectors indexed by a factor, in the round a Byzantine participant observes. */
    @FunctionalInterface
    interface Family {
        Observation.Line line(Observation o);
    }

    private final String name;
    private final Family family;
    private final LineSearch search;

    private LineSearchedAttack(String name, Family family, LineSearch search) {
        this.name = name;
        this.family = family;
        this.search = search;
    }

    /** {@value #OPTIMAL_IPM}: {@code -tau mu}. */
    public static LineSearchedAttack ipm(LineSearch search) {
        return new LineSearchedAttack(OPTIMAL_IPM, o -> {
            double[] minusMu = o.honestMean();
            for (int j = 0; j < minusMu.length; j++) {
                minusMu[j] = -minusMu[j];
            }
            return new Observation.Line(new double[o.dimension()], minusMu,
                    factor -> InnerProductManipulation.vector(o, factor));
        }, search);
    }

    /** {@value #OPTIMAL_ALIE}: {@code mu + tau sigma}. */
    public static LineSearchedAttack alie(LineSearch search) {
        return new LineSearchedAttack(OPTIMAL_ALIE, o -> new Observation.Line(o.honestMean(), o.honestStd(),
                factor -> ALittleIsEnough.vector(o, factor)), search);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> params() {
        return new LinkedHashMap<>(search.params());
    }

    /** The factor the search picks in this round. */
    double factor(Observation o) {
        double[] mu = o.honestMean();
        DoubleFunction<Optional<double[]>> aggregates = o.aggregatesAlong(family.line(o));
        return search.argmax(factor -> score(aggregates.apply(factor), mu));
    }

    @Override
    public List<float[]> forge(Observation o) {
        return o.same(family.line(o).vector().apply(factor(o)));
    }

    private static double score(Optional<double[]> aggregate, double[] mu) {
        if (aggregate.isEmpty()) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] a = aggregate.get();
        double sum = 0;
        for (int j = 0; j < mu.length; j++) {
            double d = a[j] - mu[j];
            sum += d * d;
        }
        double distance = Math.sqrt(sum);
        return Double.isFinite(distance) ? distance : Double.NEGATIVE_INFINITY;
    }
}
