package dev.hansa.server.system;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A lifecycle enum (federation, round, participant) whose allowed transitions live in one place, its
 * {@link #next()}. Repositories write a state change as {@code UPDATE ... SET state = :to WHERE state IN (:from)}
 * with {@code from = to.from()}, so the database refuses what the enum does not allow, even across replicas.
 */
public interface StateMachine<E extends Enum<E> & StateMachine<E>> {

    /** The states this one may change to. */
    Set<E> next();

    /** The states from which this one may be entered, by name (for SQL guards). */
    @SuppressWarnings("unchecked")
    default List<String> from() {
        E self = (E) this;
        return Arrays.stream(self.getDeclaringClass().getEnumConstants())
                .filter(s -> s.next().contains(self)).map(Enum::name).toList();
    }

    /** Whether no transition leaves this state. */
    default boolean isFinal() {
        return next().isEmpty();
    }

    /** Throws unless this state may change to {@code to}. */
    default void checkTransition(E to) {
        if (!next().contains(to)) {
            throw new IllegalStateException(this + " cannot change to " + to + "; allowed: " + next());
        }
    }
}
