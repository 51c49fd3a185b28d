package dev.hansa.aggregation.attack;

import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: every Byzantine participant sends a copy of one honest participant's update (Karimireddy, He and
 * Jaggi, ICLR 2022), over-representing that client, which hurts rules that rely on the honest updates being spread
 * (heterogeneous data). As in ByzFL's {@code Mimic}, the copied update is the honest one at index {@code target}
 * (default 0) in participant order; Karimireddy et al.'s heuristic that picks the client along the honest updates'
 * direction of largest variance is not implemented.
 */
public final class Mimic implements Attack {

    public static final String NAME = "mimic";

    private final int target;

    public Mimic(int target) {
        if (target < 0) {
            throw new IllegalArgumentException("mimic's target must be >= 0, got " + target);
        }
        this.target = target;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("target", target);
    }

    @Override
    public List<float[]> forge(Observation o) {
        if (target >= o.honest().size()) {
            throw new AttackNotApplicableException("mimic copies honest update " + target + " of the role, but the round has "
                    + o.honest().size());
        }
        return o.same(o.honest().get(target));
    }
}
