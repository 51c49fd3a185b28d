package dev.hansa.aggregation.attack;

import java.util.List;
import java.util.Map;

/**
 * {@value #NAME}: the Byzantine clients follow the protocol but train on their own data with every label y replaced by
 * {@code C - 1 - y} for C classes (9 - y on Fashion-MNIST), and send what that training gives (Karimireddy et al.'s
 * form, which ALGORITHMS.md 7.3 gives for this issue; ByzFL instead has the Byzantine nodes send the mean of the
 * honest nodes' gradients on flipped batches). Not omniscient: each sends its own update.
 */
public final class LabelFlipping implements Attack {

    public static final String NAME = "label-flipping";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of();
    }

    @Override
    public Training training() {
        return Training.FLIPPED_LABELS;
    }

    @Override
    public List<float[]> forge(Observation o) {
        if (o.own().isEmpty()) {
            throw new AttackNotApplicableException("label flipping sends the Byzantine clients' own updates, but they did "
                    + "not train");
        }
        return o.own();
    }
}
