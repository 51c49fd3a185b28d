package dev.hansa.server.federation;

import dev.hansa.server.system.StateMachine;
import java.util.EnumSet;
import java.util.Set;

/**
 * A federation's lifecycle: created (configurable, its initial model replaceable), running, paused by an operator
 * (no new round opens; the open round may still close, and if it was the last one the federation finishes), stopped
 * by an operator (its open round cancelled; resumable), finished (all rounds closed) or failed (a round ran out of
 * attempts; an operator may retry that round, which runs the federation again).
 */
public enum FederationState implements StateMachine<FederationState> {
    CREATED, RUNNING, PAUSED, STOPPED, FINISHED, FAILED;

    @Override
    public Set<FederationState> next() {
        return switch (this) {
            case CREATED -> EnumSet.of(RUNNING);
            case RUNNING -> EnumSet.of(PAUSED, STOPPED, FINISHED, FAILED);
            case PAUSED -> EnumSet.of(RUNNING, STOPPED, FINISHED);
            case STOPPED, FAILED -> EnumSet.of(RUNNING);
            case FINISHED -> EnumSet.noneOf(FederationState.class);
        };
    }

    /** Whether rounds are driven: a new round opens only while running, an open round closes while paused too. */
    public boolean isActive() {
        return this == RUNNING || this == PAUSED;
    }
}
