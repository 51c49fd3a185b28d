package dev.hansa.aggregation.aggregate.robust;

import dev.hansa.aggregation.aggregate.UpdateBatch;
import dev.hansa.aggregation.aggregate.WholeRoundAggregator;
import java.util.Map;

/**
 * {@value #NAME}(b) (Yin et al., "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates", ICML
 * 2018): per coordinate, drop the b smallest and the b largest values and average the n - 2b that remain,
 * unweighted. b is the parameter {@code trim}, by default f, and at least f (trimming fewer than f per side lets f
 * updates move the result without bound); the rule needs n > 2b.
 *
 * <p>Where the references differ: ByzFL's {@code TrMean(f)} trims exactly f, as Hansa's default does. Flower's
 * {@code aggregate_trimmed_avg} takes a proportion p and trims {@code floor(p n)} per side, so its b follows the
 * round's size; {@code trim = floor(p n)} gives its result on a round of n.
 *
 * <p>Reads the batch in column blocks ({@link ColumnSorter}) and sorts each column only as far as the split between
 * the trimmed and the kept values needs; the kept values are added up in double.
 */
public final class TrimmedMean implements WholeRoundAggregator {

    public static final String NAME = "trimmed-mean";

    private final int trim;

    public TrimmedMean(int f, int trim) {
        if (f < 0) {
            throw new IllegalArgumentException("robustness.f must be >= 0, got " + f);
        }
        if (trim < f) {
            throw new IllegalArgumentException("robustness.aggregatorParams.trim must be >= robustness.f = " + f
                    + " (values trimmed per side), got " + trim);
        }
        this.trim = trim;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("trim", trim);
    }

    @Override
    public int minUpdates() {
        return 2 * trim + 1;
    }

    @Override
    public String requirement() {
        return "n > 2 trim, trim = " + trim;
    }

    @Override
    public double[] aggregate(UpdateBatch batch) {
        int n = batch.size();
        int kept = n - 2 * trim;
        if (kept < 1) {
            throw new IllegalArgumentException(NAME + " with trim = " + trim + " cannot aggregate " + n + " updates");
        }
        int[] groups = new int[n];
        for (int p = 0; p < n; p++) {
            groups[p] = p < trim || p >= n - trim ? -1 : 0;
        }
        return ColumnSorter.reduce(batch, ColumnSorter.allRows(n), SortingNetwork.forGroups(groups),
                (sorted, width, from, out) -> {
                    for (int p = trim; p < n - trim; p++) {
                        float[] row = sorted[p];
                        for (int j = 0; j < width; j++) {
                            out[from + j] += row[j];
                        }
                    }
                    for (int j = 0; j < width; j++) {
                        out[from + j] /= kept;
                    }
                });
    }
}
