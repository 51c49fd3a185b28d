package dev.hansa.aggregation.round;

import dev.hansa.aggregation.aggregate.AggregationPipeline;
import dev.hansa.aggregation.aggregate.GroupAggregate;
import dev.hansa.aggregation.aggregate.HeapBatch;
import dev.hansa.aggregation.aggregate.RoundAggregation;
import dev.hansa.aggregation.aggregate.RowGeometry;
import dev.hansa.aggregation.attack.Observation;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.update.Update;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * The trial run of a round's aggregation that one role's Byzantine participants see ({@link Observation.Trial}):
 * the role's updates in participant order, the Byzantine ones holding candidate rows, through admission, the
 * pre-aggregators and the aggregator, as the round itself will run them.
 *
 * <p>Along a line of candidates (the 20 evaluations per round of a line-searched attack) it computes once what does
 * not depend on the factor: the honest updates' admission, and the Gram matrix, in double, of the admitted honest
 * rows and the line's origin and direction. Each factor then admits only the Byzantine rows (the same checks on the
 * same bits) and hands the rules the geometry of the round's rows as a mix of that base ({@link RowGeometry#mixed})
 * instead of a Gram pass over the round; column reads and the final combination still read the rows themselves. The
 * aggregate is the full trial's up to the rounding of the geometry (a double Gram of the base, the Byzantine row
 * taken as origin + factor direction before its rounding to float, against the full trial's float Gram of the
 * rows). That holds where the rows are what was sent, so only with a lossless codec, admission that refuses rather
 * than clips, and a pipeline that keeps the round's rows; otherwise each factor runs the full trial.
 */
final class ByzantineTrial implements Observation.Trial {

    private final AggregationPipeline pipeline;
    private final ModelSpec spec;
    private final long roundSeed;
    private final String role;
    private final List<String> ids;
    private final Set<String> byzantine;
    private final Map<String, Update> sent;
    private final Function<List<float[]>, Map<String, Update>> forge;
    private final Function<Update, Optional<AggregationPipeline.Admitted>> admit;
    private final boolean lossless;

    /**
     * @param ids       the role's participants in participant order
     * @param byzantine those of them the adversary controls
     * @param sent      the updates of the others (at least), as the server decodes them
     * @param forge     the Byzantine participants' updates, by id, holding the given rows (one per participant)
     * @param admit     the server's admission of an update, empty when it refuses it
     * @param lossless  whether the codec gives the server what was sent
     */
    ByzantineTrial(AggregationPipeline pipeline, ModelSpec spec, long roundSeed, String role, List<String> ids,
                   Set<String> byzantine, Map<String, Update> sent, Function<List<float[]>, Map<String, Update>> forge,
                   Function<Update, Optional<AggregationPipeline.Admitted>> admit, boolean lossless) {
        this.pipeline = pipeline;
        this.spec = spec;
        this.roundSeed = roundSeed;
        this.role = role;
        this.ids = List.copyOf(ids);
        this.byzantine = Set.copyOf(byzantine);
        this.sent = sent;
        this.forge = forge;
        this.admit = admit;
        this.lossless = lossless;
    }

    @Override
    public Optional<double[]> aggregate(List<float[]> byzantineRows) {
        Map<String, Update> forged = forge.apply(byzantineRows);
        RoundAggregation trial = pipeline.start(spec, roundSeed);
        for (String id : ids) {
            admit.apply(forged.getOrDefault(id, sent.get(id))).ifPresent(trial::add);
        }
        try {
            return trial.result().role(role).map(GroupAggregate::mean);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    @Override
    public DoubleFunction<Optional<double[]>> along(Observation.Line line, int count) {
        AggregationPipeline.Settings settings = pipeline.settings();
        boolean clips = settings.maxUpdateNorm() > 0
                && settings.onNormExceeded() == AggregationPipeline.NormPolicy.CLIP;
        if (!lossless || clips || settings.streaming()) {
            return Observation.Trial.super.along(line, count);
        }
        List<AggregationPipeline.Admitted> honest = new ArrayList<>();
        for (String id : ids) {
            if (!byzantine.contains(id)) {
                admit.apply(sent.get(id)).ifPresent(honest::add);
            }
        }
        RowGeometry base = baseGeometry(honest, line);
        return factor -> aggregateOnLine(honest, base, line, factor, count);
    }

    /** The geometry of the admitted honest rows, then the line's origin and direction, around the honest mean. */
    private RowGeometry baseGeometry(List<AggregationPipeline.Admitted> honest, Observation.Line line) {
        int d = spec.parameterCount();
        List<double[]> rows = new ArrayList<>();
        double[] centre = new double[d];
        for (AggregationPipeline.Admitted a : honest) {
            float[] values = a.update().values().values();
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = values[j];
                centre[j] += row[j];
            }
            rows.add(row);
        }
        for (int j = 0; j < d && !honest.isEmpty(); j++) {
            centre[j] /= honest.size();
        }
        rows.add(line.origin());
        rows.add(line.direction());
        return RowGeometry.inDouble(rows, centre);
    }

    private Optional<double[]> aggregateOnLine(List<AggregationPipeline.Admitted> honest, RowGeometry base,
                                               Observation.Line line, double factor, int count) {
        Map<String, Update> forged = forge.apply(Collections.nCopies(count, line.row(factor)));
        int origin = honest.size();
        List<float[]> rows = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<double[]> mix = new ArrayList<>();
        int nextHonest = 0;
        for (String id : ids) {
            double[] coefficients = new double[origin + 2];
            AggregationPipeline.Admitted admitted;
            if (byzantine.contains(id)) {
                Optional<AggregationPipeline.Admitted> a = admit.apply(forged.get(id));
                if (a.isEmpty()) {
                    continue;
                }
                admitted = a.get();
                coefficients[origin] = 1;
                coefficients[origin + 1] = factor;
            } else {
                if (nextHonest == honest.size() || !honest.get(nextHonest).update().clientId().equals(id)) {
                    continue;
                }
                admitted = honest.get(nextHonest);
                coefficients[nextHonest++] = 1;
            }
            rows.add(admitted.update().values().values());
            weights.add(admitted.weight());
            mix.add(coefficients);
        }
        if (rows.isEmpty() || pipeline.settings().shortfall(rows.size()).isPresent()) {
            return Optional.empty();
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        HeapBatch batch = new HeapBatch(rows, weights.stream().mapToDouble(Double::doubleValue).toArray(),
                spec.parameterCount(), base.mixed(mix.toArray(double[][]::new)));
        try {
            double[] sum = pipeline.settings().wholeRoundSum(batch, roundSeed, total);
            return Optional.of(new GroupAggregate(sum, total, rows.size(), 0, Map.of()).mean());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}
