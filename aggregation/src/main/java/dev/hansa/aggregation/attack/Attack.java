package dev.hansa.aggregation.attack;

import java.util.List;
import java.util.Map;

/**
 * What Byzantine clients send in a round, for evaluating robust aggregation in simulation (docs/robustness.md,
 * "Attacks"). Omniscient attacks (ALIE, IPM, mimic, the line-searched variants) see the honest updates of the round,
 * as in ByzFL, through an {@link Observation}; unless an attack says otherwise, every Byzantine participant of a role
 * sends the same vector. Attacks are pure: the same observation (and its seed) gives the same vectors.
 */
public interface Attack {

    /** What the Byzantine clients do before the attack proper. */
    enum Training {
        /** Nothing: they forge their update from what they observe (no local training). */
        NONE,
        /** They train like honest clients, on their own data with every label y replaced by C - 1 - y. */
        FLIPPED_LABELS
    }

    /** The name the {@code byzantine.attack} setting uses, e.g. {@code alie}. */
    String name();

    /** Its parameters as {@code byzantine.attackParams} names them, defaults filled in (recorded with the run). */
    Map<String, Object> params();

    default Training training() {
        return Training.NONE;
    }

    /**
     * The vectors the round's Byzantine participants of one role send, one per participant in participant order
     * ({@link Observation#byzantine()} of them), each of {@link Observation#dimension()} values.
     *
     * @throws AttackNotApplicableException when the round gives the attack too little to work with (e.g. ALIE's
     *                                      standard deviation needs two honest updates)
     */
    List<float[]> forge(Observation observation);
}
