package dev.hansa.aggregation.attack;

import dev.hansa.aggregation.config.Hyperparameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The attacks by the names a simulation's {@code byzantine.attack} uses, each made from its parameters. */
public final class Attacks {

    private static final Map<String, Function<Hyperparameters, Attack>> ATTACKS = new LinkedHashMap<>();

    static {
        ATTACKS.put(SignFlipping.NAME, h -> new SignFlipping());
        ATTACKS.put(LabelFlipping.NAME, h -> new LabelFlipping());
        ATTACKS.put(ALittleIsEnough.NAME, Attacks::alie);
        ATTACKS.put(InnerProductManipulation.NAME, h -> new InnerProductManipulation(
                h.real("epsilon", InnerProductManipulation.DEFAULT_EPSILON, 0, false, 1e12, true)));
        ATTACKS.put(LineSearchedAttack.OPTIMAL_ALIE, h -> LineSearchedAttack.alie(LineSearch.from(h)));
        ATTACKS.put(LineSearchedAttack.OPTIMAL_IPM, h -> LineSearchedAttack.ipm(LineSearch.from(h)));
        ATTACKS.put(GaussianAttack.NAME, h -> new GaussianAttack(h.real("mean", 0, -1e12, true, 1e12, true),
                h.real("sigma", 1, 0, true, 1e12, true)));
        ATTACKS.put(Mimic.NAME, h -> new Mimic((int) h.integer("target", 0, 0, Integer.MAX_VALUE)));
        ATTACKS.put(InfinityAttack.NAME, h -> new InfinityAttack());
    }

    private Attacks() {
    }

    public static List<String> names() {
        return List.copyOf(ATTACKS.keySet());
    }

    /**
     * The attack {@code name} with its parameters read from {@code params} (unknown ones refused).
     *
     * @throws IllegalArgumentException naming the field
     */
    public static Attack create(String name, Hyperparameters params) {
        Function<Hyperparameters, Attack> factory = ATTACKS.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("byzantine.attack must be one of " + names() + ", got " + name);
        }
        Attack attack = factory.apply(params);
        params.done();
        return attack;
    }

    private static Attack alie(Hyperparameters h) {
        boolean fixed = h.has("z");
        boolean formula = h.has("zFormula");
        if (fixed && formula) {
            throw new IllegalArgumentException(h.field("z") + " and " + h.field("zFormula") + " exclude each other");
        }
        if (fixed) {
            return new ALittleIsEnough(h.real("z", 0, -1e6, true, 1e6, true));
        }
        List<String> formulas = List.of("paper", "karimireddy");
        String chosen = h.choice("zFormula", "paper", formulas);
        return new ALittleIsEnough(ALittleIsEnough.ZFormula.valueOf(chosen.toUpperCase(Locale.ROOT)));
    }
}
