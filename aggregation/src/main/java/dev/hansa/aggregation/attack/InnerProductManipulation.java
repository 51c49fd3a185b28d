package dev.hansa.aggregation.attack;

import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: inner product manipulation (Xie, Koyejo and Gupta, "Fall of Empires", UAI 2019): every Byzantine
 * participant sends {@code -epsilon mu}, so that the aggregate's inner product with the honest mean mu turns
 * negative once the rule lets enough of it through. Default {@code epsilon} = 0.1, the value of the paper's and
 * Karimireddy et al.'s experiments against robust rules (ByzFL defaults to 2, which defeats the mean).
 */
public final class InnerProductManipulation implements Attack {

    public static final String NAME = "ipm";
    public static final double DEFAULT_EPSILON = 0.1;

    private final double epsilon;

    public InnerProductManipulation(double epsilon) {
        this.epsilon = epsilon;
    }

    /** {@code -factor mu}: the family the fixed and the line-searched IPM draw from. */
    static double[] vector(Observation o, double factor) {
        double[] v = o.honestMean();
        for (int j = 0; j < v.length; j++) {
            v[j] *= -factor;
        }
        return v;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("epsilon", epsilon);
    }

    @Override
    public List<float[]> forge(Observation o) {
        return o.same(vector(o, epsilon));
    }
}
