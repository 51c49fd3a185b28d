package dev.hansa.server.round;

import dev.hansa.server.system.StateMachine;
import java.util.EnumSet;
import java.util.Set;

/** A round attempt's lifecycle: open until it closes (new model version), fails (no quorum, a bad result) or is cancelled. */
enum RoundState implements StateMachine<RoundState> {
    OPEN, CLOSED, FAILED, CANCELLED;

    @Override
    public Set<RoundState> next() {
        return this == OPEN ? EnumSet.of(CLOSED, FAILED, CANCELLED) : EnumSet.noneOf(RoundState.class);
    }
}
