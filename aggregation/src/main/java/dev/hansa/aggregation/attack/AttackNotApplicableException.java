package dev.hansa.aggregation.attack;

/**
 * A round gives an attack too little to work with (ALIE's standard deviation needs two honest updates, mimic's
 * target is not in the round, ...): the experiment as configured cannot go on, which a caller reports as such
 * rather than as a fault of the program.
 */
public final class AttackNotApplicableException extends IllegalStateException {

    public AttackNotApplicableException(String message) {
        super(message);
    }
}
