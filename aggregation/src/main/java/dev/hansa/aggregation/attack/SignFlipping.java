package dev.hansa.aggregation.attack;

import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: every Byzantine participant sends {@code -mu}, the negated mean of the honest updates (ByzFL's
 * {@code SignFlipping} and LPD's; Allen-Zhu et al., ICLR 2021). Karimireddy et al.'s "bit flipping", where each
 * sends the negation of its own honest update, is the SDK's local {@code Misbehaviour.Scaled(-1)}.
 */
public final class SignFlipping implements Attack {

    public static final String NAME = "sign-flipping";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public List<float[]> forge(Observation o) {
        return o.same(InnerProductManipulation.vector(o, 1));
    }
}
