package dev.hansa.aggregation.attack;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@value #NAME}: "A Little Is Enough" (Baruch, Baruch and Goldberg, NeurIPS 2019). Every Byzantine participant sends
 * {@code mu - z sigma}, the honest mean shifted by z honest standard deviations per coordinate: close enough to the
 * honest updates to pass distance- and rank-based rules, consistently enough to bias them.
 *
 * <p>z is by default the paper's: with n the participants of the role in the round (honest and Byzantine) and f the
 * Byzantine ones, {@code s = floor(n/2 + 1) - f} honest supporters are needed and {@code z = Phi^-1((n - s) / n)}
 * ({@code zFormula = paper}; n = 25, f = 5 gives s = 8, z = 0.4677). {@code zFormula = karimireddy} takes
 * Karimireddy et al.'s {@code Phi^-1((n - f - s) / (n - f))} (0.2533 there), and a fixed {@code z} overrides both.
 * ByzFL's {@code ALittleIsEnough} instead adds a fixed 1.5 sigma; its line-searched form is {@code optimal-alie}.
 */
public final class ALittleIsEnough implements Attack {

    public static final String NAME = "alie";

    /** How z follows from the round's counts. */
    public enum ZFormula {
        PAPER, KARIMIREDDY;

        /** z for n participants of which f are Byzantine. */
        double z(int n, int f) {
            int s = n / 2 + 1 - f;
            int pool = this == PAPER ? n : n - f;
            if (s < 1 || s >= pool) {
                throw new AttackNotApplicableException("ALIE's z needs 1 <= s < " + (this == PAPER ? "n" : "n - f")
                        + " with s = floor(n/2 + 1) - f; a round of n = " + n + " with f = " + f
                        + " Byzantine gives s = " + s + ": set byzantine.attackParams.z");
            }
            return NormalQuantile.of((double) (pool - s) / pool);
        }
    }

    private final ZFormula formula;
    private final double fixedZ;

    /** z from {@code formula} each round. */
    public ALittleIsEnough(ZFormula formula) {
        this.formula = formula;
        this.fixedZ = Double.NaN;
    }

    /** A fixed z. */
    public ALittleIsEnough(double z) {
        this.formula = null;
        this.fixedZ = z;
    }

    /** {@code mu + factor sigma}: the family the fixed (factor -z) and the line-searched ALIE draw from. */
    static double[] vector(Observation o, double factor) {
        double[] v = o.honestMean();
        double[] sigma = o.honestStd();
        for (int j = 0; j < v.length; j++) {
            v[j] += factor * sigma[j];
        }
        return v;
    }

    /** The z this attack uses in a round of {@code n} participants of the role, {@code f} of them Byzantine. */
    double z(int n, int f) {
        return formula == null ? fixedZ : formula.z(n, f);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return formula == null ? Map.of("z", fixedZ) : Map.of("zFormula", formula.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public List<float[]> forge(Observation o) {
        return o.same(vector(o, -z(o.honest().size() + o.byzantine(), o.byzantine())));
    }
}
