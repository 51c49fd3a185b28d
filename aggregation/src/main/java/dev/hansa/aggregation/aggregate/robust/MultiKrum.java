package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@value #NAME}(m) (Blanchard et al., NeurIPS 2017, section 4): the plain mean of the m updates with the lowest
 * {@link Krum} scores (paper form: squared distances, n - f - 2 neighbours). m defaults to n - f of the round being
 * aggregated (LPD's and ByzFL's default), so a config that leaves it out follows the round's size. Needs n > 2f + 2
 * and, with m given, n >= m.
 *
 * <p>The mean is unweighted, as in the paper and ByzFL: each selected update counts once, whatever sample count it
 * claims. (Flower's {@code aggregate_krum} with {@code to_keep = m} weights the selected updates by their
 * {@code num_examples}; on equal counts the two agree.) A rule meant to bound the influence of f updates should not
 * let one of them multiply its weight by claiming more samples.
 *
 * <p>Ties: scores are ranked in increasing order, equal scores in participant order, and the first m are taken.
 */
public final class MultiKrum implements WholeRoundAggregator {

    public static final String NAME = "multi-krum";

    private final int f;
    private final OptionalInt m;

    /** {@code m} empty: n - f of each round. */
    public MultiKrum(int f, OptionalInt m) {
        if (f < 0) {
            throw new IllegalArgumentException("robustness.f must be >= 0, got " + f);
        }
        if (m.isPresent() && m.getAsInt() < 1) {
            throw new IllegalArgumentException("robustness.aggregatorParams.m must be >= 1, got " + m.getAsInt());
        }
        this.f = f;
        this.m = m;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code m} when the config gave it; absent, it is n - f of each round. */
    @Override
    public Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        m.ifPresent(v -> params.put("m", v));
        return params;
    }

    @Override
    public int minUpdates() {
        return Math.max(2 * f + 3, m.orElse(0));
    }

    @Override
    public String requirement() {
        return m.isPresent() ? "n > 2f + 2 and n >= m = " + m.getAsInt() : "n > 2f + 2";
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        int keep = m.orElse(n - f);
        if (keep > n) {
            throw new IllegalArgumentException("robustness.aggregatorParams.m = " + keep + " exceeds the " + n
                    + " updates to aggregate");
        }
        int[] ranking = KrumScores.ranking(Krum.scores(batch, f));
        double[] mean = new double[n];
        for (int r = 0; r < keep; r++) {
            mean[ranking[r]] = 1.0 / keep;
        }
        return batch.combine(mean);
    }
}
