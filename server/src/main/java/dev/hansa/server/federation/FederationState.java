package dev.hansa.server.federation;

import dev.hansa.server.system.StateMachine;
import java.util.EnumSet;
import java.util.Set;

/**
 * A federation's lifecycle: created (configurable, its initial model replaceable), running, stopped by an operator
 * (resumable), and finally finished (all rounds closed) or failed (a round ran out of attempts).
 */
public enum FederationState implements StateMachine<FederationState> {
    CREATED, RUNNING, STOPPED, FINISHED, FAILED;

    @Override
    public Set<FederationState> next() {
        return switch (this) {
            case CREATED -> EnumSet.of(RUNNING);
            case RUNNING -> EnumSet.of(STOPPED, FINISHED, FAILED);
            case STOPPED -> EnumSet.of(RUNNING);
            case FINISHED, FAILED -> EnumSet.noneOf(FederationState.class);
        };
    }
}
