package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.aggregation.update.transform.UpdateTransform;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's part of L-GreCo: the last step of the update pipeline, after error feedback, passes the update on
 * unchanged and reports, for every tensor l and option j of the grid, the error its codec's knob measures on it
 * ({@link LGreCoKnob#errors}), as the metric {@code lgreco.<l>.<j>}. The server averages each over the round's
 * participants (with their update weights, as every metric) and plans from the means ({@link LGreCoPlanning}).
 * Stateless.
 */
public final class LGreCoReport implements UpdateTransform {

    private final LGreCoKnob knob;

    public LGreCoReport(LGreCoKnob knob) {
        this.knob = knob;
    }

    /** The metric that carries tensor l's error at option j. */
    public static String metric(int l, int j) {
        return "lgreco." + l + "." + j;
    }

    @Override
    public String name() {
        return "lgreco";
    }

    @Override
    public State init(ModelSpec spec) {
        return State.EMPTY;
    }

    @Override
    public Step apply(Tensors update, State state, long seed) {
        double[][] errors = knob.errors(update);
        Map<String, Double> metrics = new HashMap<>();
        for (int l = 0; l < errors.length; l++) {
            for (int j = 0; j < errors[l].length; j++) {
                metrics.put(metric(l, j), errors[l][j]);
            }
        }
        return new Step(update, state, metrics);
    }
}
