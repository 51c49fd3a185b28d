package dev.hansa.aggregation.aggregate.robust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The robust rules recomputed the plain way, in double precision, for tests to compare against: distances from the
 * rows themselves (no Gram matrix), every column sorted in full (no network). Rows are {@code double[n][d]}.
 */
final class RobustReference {

    private RobustReference() {
    }

    static double[] median(double[][] x) {
        return perColumn(x, v -> v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
    }

    static double[] trimmedMean(double[][] x, int b) {
        return perColumn(x, v -> mean(Arrays.copyOfRange(v, b, v.length - b)));
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }

    /** Krum's score of each member of {@code set}: the sum of its {@code neighbours} smallest squared distances. */
    static double[] krumScores(double[][] x, List<Integer> set, int neighbours) {
        double[] scores = new double[set.size()];
        for (int a = 0; a < set.size(); a++) {
            List<Double> others = new ArrayList<>();
            for (int b = 0; b < set.size(); b++) {
                if (b != a) {
                    others.add(squaredDistance(x[set.get(a)], x[set.get(b)]));
                }
            }
            others.sort(null);
            for (int k = 0; k < neighbours; k++) {
                scores[a] += others.get(k);
            }
        }
        return scores;
    }

    static List<Integer> all(int n) {
        List<Integer> set = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            set.add(i);
        }
        return set;
    }

    /** Indices of {@code set} ordered by score, ties by position. */
    static List<Integer> byScore(List<Integer> set, double[] scores) {
        List<Integer> positions = all(set.size());
        positions.sort(Comparator.<Integer>comparingDouble(p -> scores[p]).thenComparingInt(p -> p));
        return positions.stream().map(set::get).toList();
    }

    static int krum(double[][] x, int f) {
        return byScore(all(x.length), krumScores(x, all(x.length), x.length - f - 2)).getFirst();
    }

    static List<Integer> multiKrum(double[][] x, int f, int m) {
        return byScore(all(x.length), krumScores(x, all(x.length), x.length - f - 2)).subList(0, m);
    }

    static double[] plainMean(double[][] x, List<Integer> rows) {
        double[] out = new double[x[0].length];
        for (int i : rows) {
            for (int j = 0; j < out.length; j++) {
                out[j] += x[i][j] / rows.size();
            }
        }
        return out;
    }

    static List<Integer> bulyanSelection(double[][] x, int f) {
        List<Integer> remaining = all(x.length);
        List<Integer> selected = new ArrayList<>();
        while (selected.size() < x.length - 2 * f) {
            int k = remaining.size();
            int neighbours = Math.min(k - 1, Math.max(1, k - f - 2));
            Integer pick = byScore(remaining, krumScores(x, remaining, neighbours)).getFirst();
            selected.add(pick);
            remaining.remove(pick);
        }
        return selected;
    }

    /** Bulyan with the selection made on the rows {@code x} and the coordinate phase on {@code values}. */
    static double[] bulyan(double[][] x, double[][] values, int f) {
        List<Integer> selected = bulyanSelection(x, f);
        int beta = selected.size() - 2 * f;
        double[][] chosen = selected.stream().map(i -> values[i]).toArray(double[][]::new);
        double[] median = median(chosen);
        double[] out = new double[x[0].length];
        for (int j = 0; j < out.length; j++) {
            int column = j;
            // Stable: of two values equally far from the median the lower (sorted first) is taken.
            Double[] byDistance = Arrays.stream(chosen).map(r -> r[column]).sorted().toArray(Double[]::new);
            Arrays.sort(byDistance, Comparator.comparingDouble(v -> Math.abs(v - median[column])));
            double sum = 0;
            for (int p = 0; p < beta; p++) {
                sum += byDistance[p];
            }
            out[j] = sum / beta;
        }
        return out;
    }

    private interface ColumnRule {
        double apply(double[] sortedColumn);
    }

    private static double[] perColumn(double[][] x, ColumnRule rule) {
        double[] out = new double[x[0].length];
        double[] column = new double[x.length];
        for (int j = 0; j < out.length; j++) {
            for (int i = 0; i < x.length; i++) {
                column[i] = x[i][j];
            }
            Arrays.sort(column);
            out[j] = rule.apply(column);
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
