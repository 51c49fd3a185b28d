package dev.hansa.aggregation.attack;

import dev.hansa.aggregation.config.Hyperparameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The derivative-free search of ByzFL's optimal attacks for the factor that maximises an objective, with
 * {@code evals} evaluations in all. It evaluates {@code start}, then expands: it steps by {@code delta} from the best
 * factor so far, doubling the step after each improvement, until a step fails to improve; the step is then multiplied
 * by {@code ratio}, and it contracts: from the best factor so far it tries best + step and multiplies the step by
 * {@code ratio} after every evaluation, improving or not. It only moves in the direction of {@code delta}'s sign.
 * An evaluation improves when it is strictly greater, so the first of equal values is kept. Defaults are ByzFL's: 20
 * evaluations from 0 with step 10 and ratio 0.8.
 *
 * @param evals evaluations in all, at least 1
 * @param start the first factor
 * @param delta the first step, non-zero; its sign is the direction of the search
 * @param ratio the step's contraction, in (0, 1)
 */
public record LineSearch(int evals, double start, double delta, double ratio) {

    public static final LineSearch DEFAULT = new LineSearch(20, 0, 10, 0.8);

    public LineSearch {
        boolean steps = Double.isFinite(delta) && delta != 0 && ratio > 0 && ratio < 1;
        if (evals < 1 || !Double.isFinite(start) || !steps) {
            throw new IllegalArgumentException("a line search needs evals >= 1, finite start, finite non-zero delta "
                    + "and ratio in (0, 1), got " + evals + ", " + start + ", " + delta + ", " + ratio);
        }
    }

    /** Reads {@code evals}, {@code start}, {@code delta} and {@code ratio} from {@code h}; ByzFL's by default. */
    static LineSearch from(Hyperparameters h) {
        int evals = (int) h.integer("evals", DEFAULT.evals, 1, 10_000);
        double start = h.real("start", DEFAULT.start, -1e12, true, 1e12, true);
        double delta = h.real("delta", DEFAULT.delta, -1e12, true, 1e12, true);
        if (delta == 0) {
            throw new IllegalArgumentException(h.field("delta") + " must not be 0");
        }
        double ratio = h.real("ratio", DEFAULT.ratio, 0, false, 1, false);
        return new LineSearch(evals, start, delta, ratio);
    }

    Map<String, Object> params() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("evals", evals);
        out.put("start", start);
        out.put("delta", delta);
        out.put("ratio", ratio);
        return out;
    }

    /**
     * The factor with the largest objective among those the search evaluates (the first one on ties); the objective
     * must not return NaN (map what cannot be scored to negative infinity).
     */
    public double argmax(DoubleUnaryOperator objective) {
        double best = start;
        double bestValue = objective.applyAsDouble(start);
        double step = delta;
        int left = evals - 1;
        boolean expanding = true;
        while (left > 0) {
            double candidate = best + step;
            double value = objective.applyAsDouble(candidate);
            left--;
            boolean improves = value > bestValue;
            if (improves) {
                best = candidate;
                bestValue = value;
            }
            if (expanding && improves) {
                step *= 2;
            } else {
                expanding = false;
                step *= ratio;
            }
        }
        return best;
    }
}
