package dev.hansa.aggregation.attack;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleFunction;

/**
 * What the Byzantine participants of one role see of a round: the honest participants' updates of that role as the
 * server will decode them (after each client's update transforms and codec), their own updates when they trained,
 * and a trial run of the federation's aggregation pipeline (admission, pre-aggregators, aggregator) on the honest
 * updates together with candidate Byzantine ones. Statistics over the honest updates are computed in double
 * precision, unweighted, as in ByzFL and the papers.
 */
public final class Observation {

    /** The federation's aggregation pipeline, run on the honest updates and candidate Byzantine rows. */
    @FunctionalInterface
    public interface Trial {
        /**
         * The pipeline's estimate of the mean (its aggregate divided by the total weight) of the role's honest updates
         * together with {@code byzantineRows}, one per Byzantine participant in participant order, each admitted or
         * refused as the server would; empty when the pipeline cannot aggregate what it admitted (too few updates).
         */
        Optional<double[]> aggregate(List<float[]> byzantineRows);

        /**
         * {@link #aggregate} for every Byzantine participant sending {@code line}'s vector at a factor, as a function
         * of the factor. By default one full trial per factor; an implementation may compute once what does not
         * depend on the factor, provided each factor's aggregate is the one {@link #aggregate} gives up to rounding.
         *
         * @param byzantine the number of Byzantine participants of the role
         */
        default DoubleFunction<Optional<double[]>> along(Line line, int byzantine) {
            return factor -> aggregate(Collections.nCopies(byzantine, line.row(factor)));
        }
    }

    /**
     * A one-parameter family of attack vectors, {@code origin + factor direction} (IPM's {@code -tau mu}, ALIE's
     * {@code mu + tau sigma}): {@code vector} computes a member as the attack computes what it sends, so a trial
     * sends the same bits; {@code origin} and {@code direction} let a {@link Trial} derive the members' geometry
     * from two vectors instead of reading every member.
     */
    public record Line(double[] origin, double[] direction, DoubleFunction<double[]> vector) {

        /** The member at {@code factor} in float, as sent. */
        public float[] row(double factor) {
            return toFloat(vector.apply(factor));
        }
    }

    private final long seed;
    private final int dimension;
    private final List<float[]> honest;
    private final int byzantine;
    private final List<float[]> own;
    private final Trial trial;
    private double[] mean;
    private double[] std;

    /**
     * @param seed      the seed of this role's attack in this round (for attacks that draw)
     * @param dimension values per update, d
     * @param honest    the honest updates, in participant order; not modified
     * @param byzantine the number of Byzantine participants of the role, at least 1
     * @param own       their own updates in participant order when they trained, else empty; not modified
     */
    public Observation(long seed, int dimension, List<float[]> honest, int byzantine, List<float[]> own, Trial trial) {
        if (byzantine < 1) {
            throw new IllegalArgumentException("an observation needs a Byzantine participant, got " + byzantine);
        }
        if (!own.isEmpty() && own.size() != byzantine) {
            throw new IllegalArgumentException(own.size() + " own updates for " + byzantine + " Byzantine clients");
        }
        for (List<float[]> rows : List.of(honest, own)) {
            for (float[] row : rows) {
                if (row.length != dimension) {
                    throw new IllegalArgumentException("an update has " + row.length + " values, the round "
                            + dimension);
                }
            }
        }
        this.seed = seed;
        this.dimension = dimension;
        this.honest = List.copyOf(honest);
        this.byzantine = byzantine;
        this.own = List.copyOf(own);
        this.trial = trial;
    }

    public long seed() {
        return seed;
    }

    public int dimension() {
        return dimension;
    }

    /** The honest updates (the arrays are shared: read only). */
    public List<float[]> honest() {
        return honest;
    }

    /** The number of Byzantine participants of the role in this round. */
    public int byzantine() {
        return byzantine;
    }

    /** Their own updates when they trained, else empty (the arrays are shared: read only). */
    public List<float[]> own() {
        return own;
    }

    /** The coordinate-wise mean of the honest updates, mu (a copy). */
    public double[] honestMean() {
        if (mean == null) {
            require(1, "mean");
            mean = new double[dimension];
            for (float[] row : honest) {
                for (int j = 0; j < dimension; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < dimension; j++) {
                mean[j] /= honest.size();
            }
        }
        return mean.clone();
    }

    /**
     * The coordinate-wise standard deviation of the honest updates with Bessel's correction (divisor n - 1), sigma,
     * as ByzFL and the ALIE experiments compute it (a copy).
     */
    public double[] honestStd() {
        if (std == null) {
            require(2, "standard deviation");
            double[] mu = honestMean();
            std = new double[dimension];
            for (float[] row : honest) {
                for (int j = 0; j < dimension; j++) {
                    double dev = row[j] - mu[j];
                    std[j] += dev * dev;
                }
            }
            for (int j = 0; j < dimension; j++) {
                std[j] = Math.sqrt(std[j] / (honest.size() - 1));
            }
        }
        return std.clone();
    }

    /**
     * The pipeline's aggregate when every Byzantine participant sends {@code line}'s vector at a factor, as a function
     * of the factor; see {@link Trial#along}.
     */
    public DoubleFunction<Optional<double[]>> aggregatesAlong(Line line) {
        return trial.along(line, byzantine);
    }

    /** {@code vector} in float, once per Byzantine participant (one shared array). */
    public List<float[]> same(double[] vector) {
        return same(toFloat(vector));
    }

    private static float[] toFloat(double[] vector) {
        float[] row = new float[vector.length];
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) vector[j];
        }
        return row;
    }

    /** {@code row} once per Byzantine participant (the array is shared). */
    public List<float[]> same(float[] row) {
        if (row.length != dimension) {
            throw new IllegalArgumentException("a forged row has " + row.length + " values, the round " + dimension);
        }
        return Collections.nCopies(byzantine, row);
    }

    private void require(int count, String what) {
        if (honest.size() < count) {
            throw new AttackNotApplicableException("the honest updates' " + what + " needs at least " + count
                    + " honest update(s) of the role in the round, got " + honest.size());
        }
    }
}
