package dev.hansa.aggregation.update.lgreco;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.tensor.ModelSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server's part of L-GreCo: the plan lives in the server state as one scalar per tensor,
 * {@code lgreco.knob.<l>}, the knob value tensor l runs with (topk's density, qsgd's levels, sparseloco's
 * kPerChunk; absent before the first plan: every tensor runs the uniform setting); each round's plans carry it as
 * {@code update.tensorKnob}. After every {@code every}-th round the server re-plans: the errors are the means of what
 * that round's participants reported ({@link LGreCoReport}; over every role, weighted by the roles' total weights),
 * the sizes the knob's payload model ({@link LGreCoKnob#sizes}), the budget the summed error of the uniform option
 * {@code E_max = sum_l e_l(uniform)} (alpha = 1), and {@link LGreCoPlanner} the solver. A round without reports
 * (none accepted, or from clients that do not measure) or without a feasible plan keeps the plan it had.
 */
public final class LGreCoPlanning {

    /** The state scalar that holds tensor l's planned knob value is this prefix and l. */
    public static final String STATE_PREFIX = "lgreco.knob.";
    /**
     * Where builds before the knob generalisation kept topk's planned densities (the only knob then): read when the
     * current prefix is absent, so a federation planned by such a build keeps its plan after an upgrade.
     */
    static final String TOPK_STATE_PREFIX = "lgreco.k.";

    private LGreCoPlanning() {
    }

    /** The planned knob value of each tensor by name, from the server state; empty before the first plan. */
    public static Map<String, Double> current(State state, ModelSpec spec) {
        Map<String, Double> perTensor = new LinkedHashMap<>();
        for (int l = 0; l < spec.tensors().size(); l++) {
            Double k = state.scalars().getOrDefault(STATE_PREFIX + l, state.scalars().get(TOPK_STATE_PREFIX + l));
            if (k != null) {
                perTensor.put(spec.tensors().get(l).name(), k);
            }
        }
        return perTensor;
    }

    /**
     * One role's part of a closed round: its clients' mean metrics (the error reports among them) and its total
     * weight.
     */
    public record Reports(Map<String, Double> metricMeans, double weight) {
        public Reports {
            metricMeans = Map.copyOf(metricMeans);
        }
    }

    /** A re-plan's outcome: the state to keep and what the round reports about it. */
    public record Replanned(State state, Map<String, Double> metrics) {
        public Replanned {
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * The plan after round {@code round} closed with {@code roles}: a new one in a re-plan round with reports,
     * else {@code state} as it is. Reports the planned and the uniform setting's payload bits
     * ({@code lgreco_planned_bits}, {@code lgreco_uniform_bits}) when it plans.
     */
    public static Replanned replan(LGreCoKnob knob, LGreCoSettings settings, long round, Collection<Reports> roles,
                                   State state, ModelSpec spec) {
        if (round % settings.every() != 0) {
            return new Replanned(state, Map.of());
        }
        Optional<double[][]> errors = meanErrors(roles, spec.tensors().size(), settings.options());
        if (errors.isEmpty()) {
            return new Replanned(state, Map.of());
        }
        long[][] sizes = knob.sizes(spec);
        double budget = 0;
        for (double[] layer : errors.get()) {
            budget += layer[settings.uniform()];
        }
        Optional<int[]> plan = LGreCoPlanner.plan(sizes, errors.get(), budget);
        if (plan.isEmpty()) {
            return new Replanned(state, Map.of());
        }
        Map<String, Double> scalars = new HashMap<>(state.scalars());
        long planned = 0;
        long uniform = 0;
        for (int l = 0; l < sizes.length; l++) {
            scalars.put(STATE_PREFIX + l, knob.options()[plan.get()[l]]);
            planned += sizes[l][plan.get()[l]];
            uniform += sizes[l][settings.uniform()];
        }
        return new Replanned(new State(state.tensors(), scalars),
                Map.of("lgreco_planned_bits", (double) planned, "lgreco_uniform_bits", (double) uniform));
    }

    /** The reported errors' means over the roles that carry all of them, weighted by the roles' total weights. */
    private static Optional<double[][]> meanErrors(Collection<Reports> roles, int tensors, int options) {
        double[][] errors = new double[tensors][options];
        double weight = 0;
        for (Reports role : roles) {
            Map<String, Double> means = role.metricMeans();
            boolean complete = true;
            for (int l = 0; l < tensors && complete; l++) {
                for (int j = 0; j < options && complete; j++) {
                    complete = means.get(LGreCoReport.metric(l, j)) instanceof Double e && Double.isFinite(e) && e >= 0;
                }
            }
            if (complete) {
                for (int l = 0; l < tensors; l++) {
                    for (int j = 0; j < options; j++) {
                        errors[l][j] += role.weight() * means.get(LGreCoReport.metric(l, j));
                    }
                }
                weight += role.weight();
            }
        }
        if (!(weight > 0)) {
            return Optional.empty();
        }
        for (double[] layer : errors) {
            for (int j = 0; j < options; j++) {
                layer[j] /= weight;
            }
        }
        return Optional.of(errors);
    }
}
